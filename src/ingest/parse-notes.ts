import type {DateOrder, HeaderAtLine, ParseSummary} from '../../schemas/parse.js';
import {formatCount} from '../util/format.js';

/**
 * How an ingest run's note starts when its parse had something to say (the run is then `degraded`,
 * the notes in its error column): doctor finds it by this.
 */
export const INGEST_NOTE_PREFIX = 'Parse: ';

const ORDER_WORDS: Readonly<Record<DateOrder, string>> = {
  DMY: 'day/month/year',
  MDY: 'month/day/year',
  YMD: 'year/month/day',
};

/** `line 345: "1/23/23, 3:19 AM -"`: the number and the header, quoted so that marks and spaces show. */
function lineAndHeader(at: HeaderAtLine): string {
  return `line ${formatCount(at.line)}: ${JSON.stringify(at.header.trimEnd())}`;
}

function lines(count: number, what: string): string {
  return `${formatCount(count)} ${what}${count === 1 ? '' : 's'}`;
}

/**
 * What a parse read that people should know, one sentence each: header lines in another layout than
 * the file's (each read as a message), and header-like lines kept as text (folded into the message
 * before them). The one wording for `parse`'s summary and warnings, `process`'s warning and the
 * ingest run's note; empty when the whole file was read in one layout.
 */
export function parseNotes(summary: ParseSummary): string[] {
  const notes: string[] = [];
  const {layoutChanges, headersKeptAsText} = summary;
  if (layoutChanges.lines > 0 && layoutChanges.first !== null) {
    const one = layoutChanges.lines === 1;
    const layouts =
      layoutChanges.layouts === 1 ? 'a layout' : `${formatCount(layoutChanges.layouts)} layouts`;
    notes.push(
      `${lines(layoutChanges.lines, 'header line')} of ${summary.fileName} ${one ? 'is' : 'are'} in ${layouts} other than the file's own (a phone that changed its clock or language?): ${one ? 'it was' : 'each was'} read as a message; the first is ${lineAndHeader(layoutChanges.first)}`,
    );
  }
  if (headersKeptAsText.lines > 0 && headersKeptAsText.first !== null) {
    const one = headersKeptAsText.lines === 1;
    notes.push(
      `${lines(headersKeptAsText.lines, 'line')} of ${summary.fileName} ${one ? 'looks' : 'look'} like a header but ${one ? 'its date cannot' : 'their dates cannot'} exist as ${ORDER_WORDS[summary.dateOrder]}: ${one ? 'it was' : 'they were'} kept as text of the message before; the first is ${lineAndHeader(headersKeptAsText.first)}${summary.dateOrderBasis === 'override' ? ' (check --date-order)' : ''}`,
    );
  }
  return notes;
}
