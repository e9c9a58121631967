import {describe, expect, it} from 'vitest';
import type {PostFrontMatter} from '../../../schemas/post.js';
import {renderFrontMatter} from '../../../src/writers/digest/front-matter.js';
import {readYamlSubset} from './yaml-subset-reader.js';

const base: PostFrontMatter = {
  title: 'Garden',
  slug: 'garden',
  date: '2024-01-02',
  tags: ['garden'],
  summary: 'One line.',
  authors: ['amber-heron'],
  window: 0,
};

const reread = (frontMatter: PostFrontMatter) => {
  const text = renderFrontMatter(frontMatter);
  expect(text.startsWith('---\n')).toBe(true);
  expect(text.endsWith('\n---\n')).toBe(true);
  return readYamlSubset(text.slice(4, -4));
};

describe('front matter', () => {
  it.each([
    ['quotes', 'The "garden" club\'s plan'],
    ['colons and hashes', 'Agenda: garden # 2'],
    ['newlines', 'first line\nsecond line'],
    ['emoji', 'Party 🎉👨‍👩‍👧🇧🇷'],
    ['right-to-left', 'الحديقة · שלום'],
    ['YAML look-alikes', '--- yes: no'],
  ])('keeps titles and summaries with %s intact', (_, text) => {
    const frontMatter = {
      ...base,
      title: text,
      summary: text.replace(/\n/g, ' '),
      tags: [text],
      authors: [text],
    };
    expect(reread(frontMatter)).toEqual(frontMatter);
  });

  it('writes the part of a split window as a nested mapping', () => {
    const frontMatter = {...base, part: {index: 1, count: 3}};
    expect(renderFrontMatter(frontMatter)).toContain('window: 0\npart:\n  index: 1\n  count: 3\n---\n');
    expect(reread(frontMatter)).toEqual(frontMatter);
  });
});
