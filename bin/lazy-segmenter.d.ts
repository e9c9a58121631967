/** The Intl.Segmenter stand-in's source text (see lazy-segmenter.js). */
export const LAZY_SEGMENTER_SOURCE: string;
