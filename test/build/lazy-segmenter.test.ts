import {describe, expect, it} from 'vitest';
import {LAZY_SEGMENTER_SOURCE} from '../../bin/lazy-segmenter.js';

type SegmenterClass = new (...options: ConstructorParameters<typeof Intl.Segmenter>) => Intl.Segmenter;

/** The stand-in exactly as the bundle defines it, in front of the modules it rewrites. */
const LazySegmenter = new Function(
  `${LAZY_SEGMENTER_SOURCE}\nreturn __EgregoraLazySegmenter;`,
)() as SegmenterClass;

const SAMPLES = [
  '',
  'Run ID    Stage      Status',
  '...and 1,490 more',
  ' !"#$%&\'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~',
  'tab\there',
  'line\r\nbreak',
  'café',
  'e\u0301',
  'Kenji 田中',
  '👩🏽‍💻 and 🇵🇹',
  '\u001b[31mred\u001b[39m',
];

function plain(segments: Intl.Segments): {segment: string; index: number; input: string}[] {
  return [...segments].map(({segment, index, input}) => ({segment, index, input}));
}

describe("the bundle's lazy Intl.Segmenter stand-in", () => {
  it('segments like Intl.Segmenter, ASCII or not, and finds the segment containing an index', () => {
    const optionSets: [string | undefined, Intl.SegmenterOptions | undefined][] = [
      [undefined, undefined],
      [undefined, {granularity: 'grapheme'}],
      ['en', {granularity: 'word'}],
    ];
    for (const options of optionSets) {
      const reference = new Intl.Segmenter(...options);
      const standIn = new LazySegmenter(...options);
      for (const sample of SAMPLES) {
        expect(plain(standIn.segment(sample)), JSON.stringify([options, sample])).toEqual(
          plain(reference.segment(sample)),
        );
        for (const index of [-1, 0, 1, 3, sample.length - 1, sample.length, 2.5]) {
          const expected = reference.segment(sample).containing(index);
          const actual = standIn.segment(sample).containing(index);
          expect(
            actual && {segment: actual.segment, index: actual.index, input: actual.input},
            JSON.stringify([options, sample, index]),
          ).toEqual(expected && {segment: expected.segment, index: expected.index, input: expected.input});
        }
      }
    }
  });
});
