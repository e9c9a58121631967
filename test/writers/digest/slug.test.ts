import {describe, expect, it} from 'vitest';
import {SLUG_PATTERN} from '../../../schemas/post.js';
import {SLUG_MAX_LENGTH, slugify} from '../../../src/writers/digest/slug.js';

describe('slugify', () => {
  it('transliterates Latin diacritics and joins words with hyphens', () => {
    expect(slugify('Reunião · café · Ärger')).toBe('reuniao-cafe-arger');
    expect(slugify('Straße Œuvre Øresund Łódź')).toBe('strasse-oeuvre-oresund-lodz');
    expect(slugify('  --Hello,   World!-- ')).toBe('hello-world');
    expect(slugify('ﬁne ①')).toBe('fine-1');
  });

  it('gives an empty slug when nothing ASCII is left', () => {
    expect(slugify('公园 · 天气')).toBe('');
    expect(slugify('مرحبا')).toBe('');
    expect(slugify('👍🏽')).toBe('');
  });

  it('cuts long slugs at a word boundary', () => {
    const slug = slugify('supercalifragilistic '.repeat(10));
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
    expect(slug).toMatch(SLUG_PATTERN);
    expect(slug.endsWith('supercalifragilistic')).toBe(true);
    expect(slugify('x'.repeat(100))).toBe('x'.repeat(SLUG_MAX_LENGTH));
  });
});
