export {restoreWindow} from './build-window.js';
export {cutWindowSpans, cutWindows, type WindowSpan} from './cut.js';
export {estimateTextTokens, estimateTokens, MESSAGE_OVERHEAD_TOKENS} from './estimate-tokens.js';
export {windowFingerprint} from './fingerprint.js';
export {splitWindow} from './split.js';
