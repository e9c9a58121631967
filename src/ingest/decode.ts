import {UserError} from '../util/errors.js';
import {ExitCode} from '../util/exit-codes.js';

/** How many leading bytes are checked for signs of UTF-16 or binary content. */
const SNIFF_BYTES = 8192;
/** Above this share of undecodable or control characters at the start, the file is not text. */
const MAX_JUNK_SHARE = 0.1;
/** UTF-16 text has a NUL in (nearly) every other byte; real UTF-8 text has none at all. */
const UTF16_NUL_SHARE = 0.3;
/** …and (nearly) none in the other byte of each pair. */
const UTF16_OTHER_SIDE_SHARE = 0.05;

/**
 * Streams bytes to text: UTF-8, a leading BOM dropped (rule 2), a multi-byte character cut between
 * chunks kept whole. The first bytes are checked once so that UTF-16 exports and binary files fail
 * with a clear message instead of producing mojibake; after that, a stray invalid byte becomes
 * U+FFFD and never aborts (rule 7).
 */
export class ChatDecoder {
  private readonly decoder = new TextDecoder('utf-8', {ignoreBOM: false});
  private readonly head = new Uint8Array(SNIFF_BYTES);
  private headLength = 0;
  private checked = false;
  private held: Uint8Array[] = [];

  constructor(private readonly fileName: string) {}

  decode(chunk: Uint8Array): string {
    if (this.checked) return this.decoder.decode(chunk, {stream: true});
    const take = Math.min(chunk.length, SNIFF_BYTES - this.headLength);
    this.head.set(chunk.subarray(0, take), this.headLength);
    this.headLength += take;
    this.held.push(chunk);
    if (this.headLength < SNIFF_BYTES) return '';
    return this.release();
  }

  end(): string {
    const rest = this.checked ? '' : this.release();
    return rest + this.decoder.decode();
  }

  private release(): string {
    this.checked = true;
    this.check(this.head.subarray(0, this.headLength));
    let text = '';
    for (const chunk of this.held) text += this.decoder.decode(chunk, {stream: true});
    this.held = [];
    return text;
  }

  private check(head: Uint8Array): void {
    if (head.length === 0) return;
    const [first, second] = head;
    if ((first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff)) {
      throw this.notText('is UTF-16 text', 'Save the chat as UTF-8, or export it again from WhatsApp.');
    }
    let nulEven = 0;
    let nulOdd = 0;
    let controls = 0;
    for (let index = 0; index < head.length; index += 1) {
      const byte = head[index] ?? 0;
      if (byte === 0) {
        if (index % 2 === 0) nulEven += 1;
        else nulOdd += 1;
      } else if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 12) {
        controls += 1;
      }
    }
    const pairs = head.length / 2;
    const [more, fewer] = nulEven > nulOdd ? [nulEven, nulOdd] : [nulOdd, nulEven];
    // UTF-16 puts its NULs on one side of each pair only; a binary run of zeros fills both.
    if (pairs >= 4 && more / pairs > UTF16_NUL_SHARE && fewer / pairs < UTF16_OTHER_SIDE_SHARE) {
      throw this.notText('is UTF-16 text', 'Save the chat as UTF-8, or export it again from WhatsApp.');
    }
    if (nulEven + nulOdd > 0 || controls / head.length > MAX_JUNK_SHARE) {
      throw this.notText(
        'is binary, not chat text',
        'Pass the export .zip or the chat .txt that WhatsApp made.',
      );
    }
    const sample = new TextDecoder('utf-8').decode(head);
    let replaced = 0;
    for (let at = sample.indexOf('\ufffd'); at !== -1; at = sample.indexOf('\ufffd', at + 1)) replaced += 1;
    // The sample may end inside a character: one trailing replacement is not evidence.
    if ((replaced - 1) / Math.max(sample.length, 1) > MAX_JUNK_SHARE) {
      throw this.notText('is not UTF-8 text', 'Save the chat as UTF-8, or export it again from WhatsApp.');
    }
  }

  private notText(reason: string, hint: string): UserError {
    return new UserError(`"${this.fileName}" ${reason}.`, ExitCode.inputInvalid, {path: this.fileName, hint});
  }
}
