import type {ChatMessage} from '../../schemas/message.js';

/**
 * Tokenizers of current LLMs spend about one token per 4 bytes of UTF-8 on Latin-script text
 * (a short English word plus its space), and about one token per character on scripts written
 * without spaces and with large alphabets (Chinese, Japanese, Korean).
 */
const UTF8_BYTES_PER_TOKEN = 4;

/**
 * What a prompt adds around each message besides its text: the pseudonym (3-4 tokens), the time
 * (about 4) and separators.
 */
export const MESSAGE_OVERHEAD_TOKENS = 8;

/**
 * A deterministic estimate of the tokens a prompt made of these messages would use: per message,
 * `MESSAGE_OVERHEAD_TOKENS`, plus one token per CJK character, plus one token per 4 UTF-8 bytes of
 * everything else (rounded up). It is an estimate for budgeting, deliberately simple, never a count.
 */
export function estimateTokens(messages: readonly ChatMessage[]): number {
  let tokens = 0;
  for (const message of messages) tokens += MESSAGE_OVERHEAD_TOKENS + estimateTextTokens(message.text);
  return tokens;
}

/** See `estimateTokens`: dense (CJK) characters count one each, other UTF-8 bytes a quarter. */
export function estimateTextTokens(text: string): number {
  let denseChars = 0;
  let otherBytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      otherBytes += 1;
    } else if (unit < 0x800) {
      otherBytes += 2;
    } else {
      const codePoint = text.codePointAt(i) as number;
      if (codePoint > 0xffff) i++;
      if (isDense(codePoint)) denseChars++;
      else otherBytes += codePoint > 0xffff ? 4 : 3;
    }
  }
  return denseChars + Math.ceil(otherBytes / UTF8_BYTES_PER_TOKEN);
}

function isDense(codePoint: number): boolean {
  return (
    (codePoint >= 0x3040 && codePoint <= 0x30ff) || // Hiragana, Katakana
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) || // CJK extension A
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) || // CJK unified ideographs
    (codePoint >= 0xac00 && codePoint <= 0xd7af) || // Hangul syllables
    (codePoint >= 0xf900 && codePoint <= 0xfaff) || // CJK compatibility ideographs
    (codePoint >= 0xff66 && codePoint <= 0xff9f) || // half-width Katakana
    (codePoint >= 0x20000 && codePoint <= 0x3ffff) // CJK extensions B and later
  );
}
