import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type {ChatMessage} from '../schemas/message.js';
import type {ParseSummary} from '../schemas/parse.js';
import {LAYOUT_LABELS} from '../src/ingest/layout.js';
import {parseNotes} from '../src/ingest/parse-notes.js';
import type {ChatSource} from '../src/ingest/source.js';
import {ExitCode} from '../src/util/exit-codes.js';
import {formatCount} from '../src/util/format.js';
import {visibleControls} from '../src/util/terminal.js';
import {BaseCommand} from './base-command.js';
import {dateOrderFlag} from './flags.js';

export default class Parse extends BaseCommand {
  static override summary = 'Read a WhatsApp export and print its messages. Writes no state.';
  static override description =
    'Reads an export .zip (or a bare chat .txt) safely, finds the chat, detects its layout and prints what it found on stderr, then the messages on stdout. With --json, stdout is one JSON object per message and nothing else.';
  static override examples = [
    '<%= config.bin %> parse "WhatsApp Chat with Book Club.zip"',
    '<%= config.bin %> parse export.zip --json | jq -r .author | sort | uniq -c',
    '<%= config.bin %> parse export.zip --chat "Book Club/_chat.txt" --timezone Europe/Lisbon',
    '<%= config.bin %> parse export.zip --date-order mdy',
  ];

  /** NDJSON is a stream of objects, not the one object oclif's --json returns: the flag is our own. */
  static override enableJsonFlag = false;

  static override args = {
    input: Args.string({description: 'The export .zip, or the chat .txt', required: true}),
  };

  static override flags = {
    chat: Flags.string({description: 'The chat entry to read when the archive holds several'}),
    timezone: Flags.string({description: 'IANA time zone of the export’s clock [default: this machine’s]'}),
    'max-size': Flags.custom<number>({
      description:
        'Largest uncompressed size accepted, for the archive and any file in it (like 500MB, 16GiB)',
      parse: async (input: string) => {
        const {parseByteSize} = await import('../src/ingest/limits.js');
        return parseByteSize(input);
      },
    })(),
    'date-order': dateOrderFlag(),
    json: Flags.boolean({description: 'Print one JSON object per message (NDJSON) on stdout, nothing else'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Parse);
    const {openChatReading} = await import('../src/ingest/read-chat.js');
    const {limitsForMaxSize} = await import('../src/ingest/limits.js');
    const reading = await openChatReading(args.input, {
      chat: flags.chat,
      timezone: flags.timezone,
      limits: flags['max-size'] === undefined ? undefined : limitsForMaxSize(flags['max-size']),
      dateOrder: flags['date-order'],
    });
    const out = new StdoutLines();
    try {
      if (flags.json) {
        const {ParseJsonEncoder} = await import('../src/ingest/parse-json.js');
        const encoder = new ParseJsonEncoder();
        const parse = reading.parse();
        for await (const batch of parse) await this.writeAll(out, encoder.encode(batch));
        await this.writeAll(out, encoder.flush());
        // stdout stays the messages only; a header read in another layout or kept as text is said on stderr.
        for (const note of parseNotes(parse.summary())) this.note(`warning: ${note}`);
        return;
      }
      // People first see what was found, then the transcript: one pass to summarise, one to print.
      const first = reading.parse();
      for await (const _batch of first) {
        // Only the summary of this pass is used.
      }
      this.note(renderSummary(reading.source, first.summary(), this.colorStderr()));
      const color = this.colorStdout();
      for await (const batch of reading.parse()) {
        if (!(await out.write(batch.map((message) => transcriptLine(message, color)).join(''))))
          this.readerGone();
      }
    } finally {
      out.dispose();
      await reading.close();
    }
  }

  private async writeAll(out: StdoutLines, chunks: readonly Uint8Array[]): Promise<void> {
    for (const chunk of chunks) if (!(await out.write(chunk))) this.readerGone();
  }

  /**
   * The reader closed the pipe (`| head`): that is their choice, so exit 0 now. Returning instead
   * would leave oclif waiting for stdout to drain, which a closed pipe never does.
   */
  private readerGone(): never {
    return this.exit(ExitCode.ok);
  }
}

const DIM = ['\u001b[2m', '\u001b[22m'] as const;
const BOLD = ['\u001b[1m', '\u001b[22m'] as const;

function paint(text: string, style: readonly [string, string], color: boolean): string {
  return color ? `${style[0]}${text}${style[1]}` : text;
}

/** The width of `YYYY-MM-DD HH:MM:SS` plus two spaces: continuation lines are indented under the text. */
const TRANSCRIPT_INDENT = ' '.repeat(21);

/**
 * One message as people read it. The transcript is for a terminal: a text or a name holding control
 * sequences is shown with them written out (`\u001b[31m`), never obeyed; `--json` keeps them raw.
 */
function transcriptLine(message: ChatMessage, color: boolean): string {
  const when = paint(message.date.replace('T', ' '), DIM, color);
  const lines = message.text.split('\n').map((line) => visibleControls(line));
  const head =
    message.author === null
      ? paint(`· ${lines[0] ?? ''}`, DIM, color)
      : `${paint(visibleControls(message.author), BOLD, color)}: ${lines[0] ?? ''}`;
  const notes: string[] = [];
  // An author-less line already reads as an event; an event credited to someone (iOS) says so.
  if (message.kind !== 'message' && !(message.kind === 'system' && message.author === null))
    notes.push(message.kind);
  if (message.attachment !== null)
    notes.push(message.attachmentPresent ? 'in the archive' : 'not in the archive');
  if (message.edited) notes.push('edited');
  const tail = notes.length > 0 ? `  ${paint(`[${notes.join(', ')}]`, DIM, color)}` : '';
  const rest = lines.slice(1).map((line) => `\n${TRANSCRIPT_INDENT}${line}`);
  return `${when}  ${head}${tail}${rest.join('')}\n`;
}

const ORDER_NAMES = {DMY: 'day/month/year', MDY: 'month/day/year', YMD: 'year/month/day'} as const;
const BASIS_NAMES = {
  'year-first': 'the year comes first',
  'part-over-12': 'from dates past the 12th',
  movement: 'no day past the 12th: decided by the sequence of dates; --date-order sets it',
  'locale-default': 'no day past the 12th: guessed from the locale; --date-order sets it',
  override: 'set by --date-order',
} as const;
/** Authors and missing files listed by name before "and N more". */
const LISTED = 6;

function listed(names: readonly string[], total = names.length): string {
  const shown = names
    .slice(0, LISTED)
    .map((name) => visibleControls(name))
    .join(', ');
  return total > LISTED ? `${shown} and ${formatCount(total - LISTED)} more` : shown;
}

function renderSummary(source: ChatSource, summary: ParseSummary, color: boolean): string {
  const label = (text: string) => paint(text.padEnd(13), BOLD, color);
  const kinds = Object.entries(summary.kinds)
    .filter(([kind, count]) => kind !== 'message' && count > 0)
    .map(([kind, count]) => `${formatCount(count)} ${kind}`);
  const {attachments} = summary;
  const media =
    attachments.referenced === 0
      ? 'none referenced'
      : `${formatCount(attachments.referenced)} referenced: ${formatCount(attachments.present)} present, ${formatCount(attachments.missingCount)} missing${
          attachments.missingCount > 0 ? ` (${listed(attachments.missing, attachments.missingCount)})` : ''
        }`;
  const input =
    source.kind === 'zip'
      ? `${visibleControls(source.inputPath)} (zip, ${formatCount(source.media.length)} other file${source.media.length === 1 ? '' : 's'})`
      : `${visibleControls(source.inputPath)} (chat text)`;
  const range =
    summary.firstDate && summary.lastDate
      ? `${summary.firstDate.replace('T', ' ')} → ${summary.lastDate.replace('T', ' ')} (wall clock, read in ${summary.timeZone})`
      : 'none';
  return [
    `${label('Input')}${input}`,
    `${label('Chat')}${visibleControls(source.chatEntry)}`,
    `${label('Format')}${LAYOUT_LABELS[summary.layout]} · ${summary.clock} · ${ORDER_NAMES[summary.dateOrder]} (${BASIS_NAMES[summary.dateOrderBasis]})`,
    `${label('Messages')}${formatCount(summary.messages)} in ${formatCount(summary.lines)} lines${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`,
    `${label('Authors')}${formatCount(summary.authors.length)}${summary.authors.length > 0 ? `: ${listed(summary.authors)}` : ''}`,
    `${label('Dates')}${range}`,
    `${label('Media')}${media}`,
    `${label('Fingerprint')}${summary.inputFingerprint}`,
    ...parseNotes(summary).map((note) => `${label('Warning')}${note}`),
  ].join('\n');
}

/**
 * Writes to stdout with back-pressure, and stops quietly when the reader goes away (`| head`):
 * a closed pipe is the reader's choice, not an error.
 */
class StdoutLines {
  private closed = false;
  private readonly onError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') this.closed = true;
  };

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {
    stream.on('error', this.onError);
  }

  dispose(): void {
    this.stream.off('error', this.onError);
  }

  async write(text: string | Uint8Array): Promise<boolean> {
    if (this.closed || this.stream.destroyed) return false;
    if (text.length > 0 && !this.stream.write(text) && !this.closed && !this.stream.destroyed) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          this.stream.off('close', done);
          resolve();
        };
        this.stream.once('drain', done);
        this.stream.once('error', done);
        this.stream.once('close', done);
      });
    }
    return !this.closed && !this.stream.destroyed;
  }
}
