import {describe, expect, it} from 'vitest';
import {centralityScores, topDocuments} from '../../../src/writers/digest/scoring.js';
import {buildTermIndex} from '../../../src/writers/digest/term-index.js';
import {termsOf} from '../../../src/writers/digest/terms.js';
import {pickTopics} from '../../../src/writers/digest/topics.js';

const index = (texts: readonly string[]) => buildTermIndex(texts.map((text) => termsOf(text, new Set())));

describe('centrality scoring', () => {
  const texts = [
    'random unrelated chatter about bicycles',
    'we should water the tomatoes in the garden on sunday',
    'the garden tomatoes need water every morning',
    'who has the key to the garden shed',
    'watering tomatoes in the garden is fun',
    'pizza tonight?',
  ];

  it('ranks messages that share the window vocabulary highest', () => {
    const scores = centralityScores(index(texts));
    const best = topDocuments(scores, 1)[0];
    expect([1, 2, 4]).toContain(best);
    expect(scores[0]).toBeLessThan(scores[2] as number);
    expect(scores[5]).toBeLessThan(scores[2] as number);
  });

  it('returns picks in chronological order and never picks a document without terms', () => {
    const scores = centralityScores(index([...texts, 'ok', '👍']));
    const picks = topDocuments(scores, 3);
    expect(picks).toEqual([...picks].sort((a, b) => a - b));
    expect(scores[6]).toBe(0);
    expect(scores[7]).toBe(0);
    expect(topDocuments([0, 0], 5)).toEqual([]);
  });

  it('breaks ties by position', () => {
    expect(topDocuments([0.5, 0.9, 0.5, 0.5], 2)).toEqual([0, 1]);
  });

  it('is linear: a window of 20,000 documents scores quickly', () => {
    const many = Array.from({length: 20_000}, (_, i) => `topic${i % 50} shared words garden ${i}`);
    const started = performance.now();
    expect(centralityScores(index(many))).toHaveLength(20_000);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('pickTopics', () => {
  it('ranks by documents, then occurrences, then first appearance', () => {
    const topics = pickTopics(
      index(['garden garden tomatoes', 'tomatoes garden', 'sunday', 'tomatoes water']),
      3,
    );
    expect(topics).toEqual(['tomatoes', 'garden', 'sunday']);
  });

  it('requires recurrence in bigger windows and two characters', () => {
    const texts = Array.from({length: 12}, (_, i) =>
      i % 2 === 0 ? `garden unique${i}` : `x ${'q'.repeat(1)}`,
    );
    expect(pickTopics(index(texts), 5)).toEqual(['garden']);
  });
});

describe('topDocuments with a key', () => {
  it('picks a repeated text once and fills the place with the next best', () => {
    const texts = ['weekly reminder', 'weekly reminder', 'other news', 'weekly reminder', 'a third thing'];
    const scores = [0.9, 0.9, 0.5, 0.9, 0.4];
    expect(topDocuments(scores, 3, (position) => texts[position] ?? '')).toEqual([0, 2, 4]);
    expect(topDocuments(scores, 3)).toEqual([0, 1, 3]);
  });
});
