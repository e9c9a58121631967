/** Receives lines as ranges of a larger string, so no line is copied just to be looked at. */
export interface LineSink {
  line(buf: string, start: number, end: number): void;
}

const LF = 10;
const CR = 13;

/**
 * Splits streamed text into lines. LF, CRLF, CR CR LF and a lone CR all end a line, also when the
 * terminator is cut between two chunks; the terminator of the last line is optional. CR CR LF is one
 * break, not a break and a blank line: a 2012 export writes it after every line, and a file of lone
 * CRs (the only place two CRs in a row mean a blank line) has no LF. Lines are handed over as
 * (buffer, start, end) so the caller decides what to copy; only a line cut by a chunk boundary is
 * glued into a new string.
 */
export class LineSplitter {
  /** The start of a line that the previous chunk did not finish. */
  private carry = '';
  /**
   * How many CRs the previous chunk ended with after its last line: 1, and a LF or a CR LF at the start
   * of the next chunk belongs to that break; 2, and a LF does (else the second CR ended a blank line).
   */
  private pendingCRs = 0;
  private ended = false;

  constructor(private readonly sink: LineSink) {}

  push(chunk: string): void {
    if (chunk.length === 0) return;
    let pos = 0;
    if (this.pendingCRs > 0) {
      pos = this.finishBreak(chunk);
      if (pos < 0) return;
    }
    const length = chunk.length;
    let nextLF = chunk.indexOf('\n', pos);
    let nextCR = chunk.indexOf('\r', pos);
    if (this.carry !== '') {
      // Finish the line the previous chunk started, as one string.
      const cut = firstBreak(nextLF, nextCR);
      if (cut === -1) {
        this.carry += chunk.slice(pos);
        return;
      }
      const line = this.carry + chunk.slice(pos, cut);
      this.carry = '';
      this.sink.line(line, 0, line.length);
      pos = this.skipBreak(chunk, cut);
      if (pos < 0) return;
      if (nextLF < pos) nextLF = chunk.indexOf('\n', pos);
      if (nextCR !== -1 && nextCR < pos) nextCR = chunk.indexOf('\r', pos);
    }
    const sink = this.sink;
    if (nextCR === -1) {
      // The common case (Android, LF only): nothing but indexOf and the callback.
      while (nextLF !== -1) {
        sink.line(chunk, pos, nextLF);
        pos = nextLF + 1;
        nextLF = chunk.indexOf('\n', pos);
      }
    } else {
      for (;;) {
        const cut = firstBreak(nextLF, nextCR);
        if (cut === -1) break;
        sink.line(chunk, pos, cut);
        pos = this.skipBreak(chunk, cut);
        if (pos < 0) return;
        if (nextLF < pos) nextLF = nextLF === -1 ? -1 : chunk.indexOf('\n', pos);
        if (nextCR !== -1 && nextCR < pos) nextCR = chunk.indexOf('\r', pos);
      }
    }
    if (pos < length) this.carry = chunk.slice(pos);
  }

  /** Flushes the last line when the text does not end with a line break. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    // `…\r\r` at the very end: the second CR ended a blank line.
    if (this.pendingCRs === 2) this.sink.line('', 0, 0);
    this.pendingCRs = 0;
    if (this.carry !== '') {
      const line = this.carry;
      this.carry = '';
      this.sink.line(line, 0, line.length);
    }
  }

  /**
   * Where the next line starts in a chunk that follows `pendingCRs` CRs, or -1 when the chunk is one
   * more CR that leaves the break still open.
   */
  private finishBreak(chunk: string): number {
    const pending = this.pendingCRs;
    this.pendingCRs = 0;
    const first = chunk.charCodeAt(0);
    if (first === LF) return 1;
    if (pending === 2) {
      // CR CR and no LF: the first CR was the break, the second ends a blank line and may itself be
      // the start of a CR LF or CR CR LF, decided below as for one pending CR.
      this.sink.line('', 0, 0);
    }
    if (first === CR) {
      if (chunk.length === 1) {
        this.pendingCRs = 2;
        return -1;
      }
      if (chunk.charCodeAt(1) === LF) return 2;
    }
    return 0;
  }

  /** The index after the break at `cut`, or -1 when CRs end the chunk (a LF may come next). */
  private skipBreak(chunk: string, cut: number): number {
    if (chunk.charCodeAt(cut) === CR) {
      const next = cut + 1;
      if (next === chunk.length) {
        this.pendingCRs = 1;
        return -1;
      }
      const following = chunk.charCodeAt(next);
      if (following === LF) return cut + 2;
      if (following === CR) {
        if (next + 1 === chunk.length) {
          this.pendingCRs = 2;
          return -1;
        }
        if (chunk.charCodeAt(next + 1) === LF) return cut + 3;
      }
      return next;
    }
    return cut + 1;
  }
}

function firstBreak(nextLF: number, nextCR: number): number {
  if (nextLF === -1) return nextCR;
  if (nextCR === -1) return nextLF;
  return Math.min(nextLF, nextCR);
}
