/** Receives lines as ranges of a larger string, so no line is copied just to be looked at. */
export interface LineSink {
  line(buf: string, start: number, end: number): void;
}

const LF = 10;
const CR = 13;

/**
 * Splits streamed text into lines. LF, CRLF and a lone CR all end a line, also when a CRLF pair is
 * cut between two chunks; the terminator of the last line is optional. Lines are handed over as
 * (buffer, start, end) so the caller decides what to copy; only a line cut by a chunk boundary is
 * glued into a new string.
 */
export class LineSplitter {
  /** The start of a line that the previous chunk did not finish. */
  private carry = '';
  /** The previous chunk ended with CR: a LF at the start of the next one belongs to it. */
  private afterCR = false;
  private ended = false;

  constructor(private readonly sink: LineSink) {}

  push(chunk: string): void {
    if (chunk.length === 0) return;
    let pos = 0;
    if (this.afterCR) {
      this.afterCR = false;
      if (chunk.charCodeAt(0) === LF) pos = 1;
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
    if (this.carry !== '') {
      const line = this.carry;
      this.carry = '';
      this.sink.line(line, 0, line.length);
    }
  }

  /** The index after the break at `cut`, or -1 when a CR ends the chunk (its LF may come next). */
  private skipBreak(chunk: string, cut: number): number {
    if (chunk.charCodeAt(cut) === CR) {
      if (cut + 1 === chunk.length) {
        this.afterCR = true;
        return -1;
      }
      return chunk.charCodeAt(cut + 1) === LF ? cut + 2 : cut + 1;
    }
    return cut + 1;
  }
}

function firstBreak(nextLF: number, nextCR: number): number {
  if (nextLF === -1) return nextCR;
  if (nextCR === -1) return nextLF;
  return Math.min(nextLF, nextCR);
}
