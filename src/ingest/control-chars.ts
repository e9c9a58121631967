import type {ChatMessage} from '../../schemas/message.js';

/**
 * Terminal control sequences in chat text: colour codes pasted from a terminal, a window-title
 * sequence a bot sent, a stray C1 byte. Shown raw they drive a terminal; dropped one control
 * character at a time (as the tokenizer used to treat the ESC byte) they leave their parameters
 * behind as words: `\x1b[31mRED` became the topic `31mred`. So ingest removes each ECMA-48 sequence
 * whole, then every other C0/C1 control character, keeping tab and line breaks (LF; CR cannot reach a
 * text, the parser splits on it). VT and FF go too: the parser does not break lines on them, and on a
 * terminal they move the cursor.
 *
 * Recognised, after ESC (0x1B) or as their single C1 form:
 * - CSI `ESC [` / U+009B: parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, one final byte
 *   0x40-0x7E. A sequence cut short by any other character ends there; that character is kept.
 * - control strings OSC `ESC ]` / U+009D, DCS `ESC P` / U+0090, SOS `ESC X` / U+0098, PM `ESC ^` /
 *   U+009E, APC `ESC _` / U+009F: everything up to BEL (OSC's usual end), ST (`ESC \` or U+009C),
 *   CAN or SUB. An unterminated string stops at the end of its line, so one bad message can swallow
 *   at most the rest of its line, never the lines after it.
 * - nF escapes (`ESC ( B`: intermediates 0x20-0x2F, then a final 0x30-0x7E) and the other two-byte
 *   escapes (`ESC 7`, `ESC c`, `ESC M`: ESC and one byte 0x30-0x7E).
 * A lone ESC (at the end, or before anything else) is removed alone.
 */

const BEL = 0x07;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const CAN = 0x18;
const SUB = 0x1a;
const ESC = 0x1b;
const DEL = 0x7f;
const C1_LAST = 0x9f;
const C1_DCS = 0x90;
const C1_SOS = 0x98;
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
const C1_OSC = 0x9d;
const C1_PM = 0x9e;
const C1_APC = 0x9f;
const BACKSLASH = 0x5c;
const LEFT_BRACKET = 0x5b;
const RIGHT_BRACKET = 0x5d;
const LETTER_P = 0x50;
const LETTER_X = 0x58;
const CARET = 0x5e;
const UNDERSCORE = 0x5f;

/**
 * Any character the sanitizer removes: C0 but tab, LF and CR; DEL; C1. The fast path's one question,
 * asked once per text: nearly every message has none, and is returned as it is, without a copy.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const REMOVABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Whether `code` is removed from chat text. */
function isRemovable(code: number): boolean {
  if (code < 0x20) return code !== TAB && code !== LF && code !== CR;
  return code >= DEL && code <= C1_LAST;
}

function inRange(code: number, low: number, high: number): boolean {
  return code >= low && code <= high;
}

/** The end of a CSI whose parameters start at `from`. */
function csiEnd(text: string, from: number): number {
  let at = from;
  while (inRange(text.charCodeAt(at), 0x30, 0x3f)) at += 1;
  while (inRange(text.charCodeAt(at), 0x20, 0x2f)) at += 1;
  return inRange(text.charCodeAt(at), 0x40, 0x7e) ? at + 1 : at;
}

/** The end of a control string (OSC, DCS, SOS, PM, APC) whose content starts at `from`. */
function controlStringEnd(text: string, from: number): number {
  for (let at = from; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code === BEL || code === C1_ST || code === CAN || code === SUB) return at + 1;
    if (code === ESC) return text.charCodeAt(at + 1) === BACKSLASH ? at + 2 : at;
    if (code === LF || code === CR) return at;
  }
  return text.length;
}

/** The end of the escape sequence that starts with the ESC at `at`. */
function escapeEnd(text: string, at: number): number {
  const next = text.charCodeAt(at + 1);
  switch (next) {
    case LEFT_BRACKET:
      return csiEnd(text, at + 2);
    case RIGHT_BRACKET:
    case LETTER_P:
    case LETTER_X:
    case CARET:
    case UNDERSCORE:
      return controlStringEnd(text, at + 2);
    default:
      break;
  }
  if (inRange(next, 0x20, 0x2f)) {
    let end = at + 2;
    while (inRange(text.charCodeAt(end), 0x20, 0x2f)) end += 1;
    return inRange(text.charCodeAt(end), 0x30, 0x7e) ? end + 1 : end;
  }
  return inRange(next, 0x30, 0x7e) ? at + 2 : at + 1;
}

/** The end of what the removable character at `at` starts: the whole sequence, or itself. */
function controlEnd(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code === ESC) return escapeEnd(text, at);
  if (code === C1_CSI) return csiEnd(text, at + 1);
  if (code === C1_OSC || code === C1_DCS || code === C1_SOS || code === C1_PM || code === C1_APC)
    return controlStringEnd(text, at + 1);
  return at + 1;
}

/** The text without control sequences and control characters (tab and line breaks kept). */
export function stripControls(text: string): string {
  if (!REMOVABLE.test(text)) return text;
  let out = '';
  let kept = 0;
  let at = 0;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (!isRemovable(code)) {
      at += 1;
      continue;
    }
    out += text.slice(kept, at);
    at = controlEnd(text, at);
    kept = at;
  }
  return out + text.slice(kept);
}

/**
 * A message whose text, author and attachment name hold no control sequences: the same object when
 * there were none (the usual case), so a clean chat is not copied.
 */
export function withoutControls(message: ChatMessage): ChatMessage {
  const text = stripControls(message.text);
  const author = message.author === null ? null : stripControls(message.author);
  const attachment = message.attachment === null ? null : stripControls(message.attachment);
  if (text === message.text && author === message.author && attachment === message.attachment) return message;
  return {...message, text, author, attachment};
}
