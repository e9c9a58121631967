import {describe, expect, it} from 'vitest';
import {analyzedMessage, analyzePortably} from '../../../src/writers/digest/analyze.js';
import {packMessages, unpackMessages} from '../../../src/writers/digest/packed-messages.js';
import {message} from '../../windows/fixtures.js';

describe('packed messages (what crosses to an analysis thread)', () => {
  it('unpack to the fields the analysis reads, message by message', () => {
    const messages = [
      message(0),
      message(1, {author: null, kind: 'system', text: 'Ana added Bruno'}),
      message(2, {edited: true, text: 'fixed 🌱 <This message was edited>'}),
      message(3, {kind: 'media', text: '<Media omitted>', author: 'message'}),
      message(4, {author: 'system', text: ''}),
      message(5, {author: 'author-1', kind: 'deleted'}),
    ];
    const packed = packMessages(messages);
    expect(packed).toBeDefined();
    expect(unpackMessages(packed as NonNullable<typeof packed>)).toEqual(messages.map(analyzedMessage));
  });

  it('list each author and kind once', () => {
    const messages = Array.from({length: 100}, (_, position) => message(position));
    const packed = packMessages(messages);
    expect(packed?.names).toEqual(['author-0', 'message', 'author-1', 'author-2']);
    expect(unpackMessages(packed as NonNullable<typeof packed>)).toEqual(messages.map(analyzedMessage));
  });

  it('give the analysis the same answer as the messages themselves', () => {
    const messages = Array.from({length: 300}, (_, position) =>
      message(position, {text: `${['roses', 'tulips', 'compost'][position % 3]} on ${position % 7} beds`}),
    );
    const packed = packMessages(messages) as NonNullable<ReturnType<typeof packMessages>>;
    expect(analyzePortably(unpackMessages(packed))).toEqual(analyzePortably(messages));
  });

  it('are not made for a window with more distinct names than 16-bit indices hold', () => {
    const messages = Array.from({length: 70_000}, (_, position) =>
      message(position, {author: `person ${position}`}),
    );
    expect(packMessages(messages)).toBeUndefined();
    expect(packMessages(messages.slice(0, 65_000))).toBeDefined();
  });
});
