import {randomBytes} from 'node:crypto';
import {existsSync} from 'node:fs';
import path from 'node:path';
import type {ChatMessage} from '../../schemas/message.js';
import type {DateOrder, ParseSummary} from '../../schemas/parse.js';
import type {RunRecord} from '../../schemas/run.js';
import {countIngestMessages, storeIngestRows} from '../db/pipeline-store.js';
import {type Anonymizer, createAnonymizer, loadAnonymizer} from '../ingest/anonymize.js';
import {SECRET_FILE} from '../ingest/anonymizer-store.js';
import {withoutControls} from '../ingest/control-chars.js';
import {detached} from '../ingest/detach.js';
import {INGEST_NOTE_PREFIX, parseNotes} from '../ingest/parse-notes.js';
import {parseChat} from '../ingest/parser.js';
import type {ChatSource} from '../ingest/source.js';
import {findReusableRunsInStore} from '../runs/queries.js';
import {type RunTracker, runStage} from '../runs/tracker.js';
import type {StatePaths} from '../util/paths.js';
import {ingestConfigHash} from './config.js';
import {lookupOrNothing, mayLookUp} from './resume-lookups.js';

export interface ParsedExport {
  /** Without terminal control sequences (control-chars.ts): what every later stage sees. */
  readonly messages: ChatMessage[];
  readonly summary: ParseSummary;
  /** Attachment names that held control characters: the cleaned name → the name in the archive. */
  readonly rawAttachmentNames: ReadonlyMap<string, string>;
}

/**
 * Reads and parses the whole chat into memory before any state is created, so an export that turns
 * out to be unreadable (binary, UTF-16, no known layout) is refused with nothing written at all.
 * This is also the one place where chat text loses its terminal control sequences: texts, authors
 * and attachment names, once, before anything is stored, scored or written (`parse` keeps them),
 * and where they stop referencing the decoded file (ownCharacters).
 */
export async function parseExport(
  source: ChatSource,
  timezone: string,
  signal: AbortSignal,
  dateOrder?: DateOrder,
): Promise<ParsedExport> {
  const parse = parseChat(source.openChat(), {
    timezone,
    fileName: source.label,
    hasMedia: (name) => source.hasMedia(name),
    dateOrder,
  });
  const messages: ChatMessage[] = [];
  const rawAttachmentNames = new Map<string, string>();
  for await (const batch of parse) {
    signal.throwIfAborted();
    for (const message of batch) {
      const clean = withoutControls(message);
      if (clean.attachment !== message.attachment && clean.attachment !== null && message.attachment !== null)
        rawAttachmentNames.set(clean.attachment, message.attachment);
      messages.push(ownCharacters(clean));
    }
  }
  return {messages, summary: parse.summary(), rawAttachmentNames};
}

/**
 * The message with texts that no longer reference the parser's decoded chunks: every message is held
 * until the last window, and without this each one keeps its chunk of the file alive (detach.ts).
 */
function ownCharacters(message: ChatMessage): ChatMessage {
  const attachment = message.attachment === null ? null : detached(message.attachment);
  return {...message, text: detached(message.text), attachment};
}

export interface IngestInput {
  readonly source: ChatSource;
  readonly parsed: ParsedExport;
  readonly state: StatePaths;
  /** Null in a dry run: nothing is recorded and nothing is stored. */
  readonly tracker: RunTracker | null;
  readonly timezone: string;
  /** The day/month order asked for (`--date-order`), if any: part of what the stored rows depend on. */
  readonly dateOrder?: DateOrder | undefined;
  readonly force: boolean;
  /** The `process` run a new ingest run descends from (a reused ingest keeps its own lineage). */
  readonly processRunId?: string | null;
  readonly onWarning?: ((message: string) => void) | undefined;
}

export interface IngestResult {
  /** The ingest run the windows descend from; null only in a dry run without a reusable ingest. */
  readonly runId: string | null;
  readonly reused: boolean;
  readonly chatEntry: string;
  /** Pseudonymized and redacted: what every later stage sees. */
  readonly messages: ChatMessage[];
  readonly authors: number;
  /**
   * Attachment names as the messages now carry them (scrubbed: a contact card is named after its
   * person) → the name of the file in the export, to read the media.
   */
  readonly attachmentNames: ReadonlyMap<string, string>;
  /** The people's names as printed (never written anywhere): writers check model output against them. */
  readonly realNames: readonly string[];
}

/**
 * Scrubs attachment names the way message text is scrubbed, so that `Dora Lima.vcf` never reaches a
 * post, and remembers the original names: the export's files are still found under them (under the
 * name in the archive, before control characters were removed too).
 */
function scrubAttachments(
  anonymizer: Anonymizer,
  messages: ChatMessage[],
  rawNames: ReadonlyMap<string, string>,
): {messages: ChatMessage[]; originals: Map<string, string>} {
  const originals = new Map<string, string>();
  const scrubbed = messages.map((message) => {
    if (message.attachment === null) return message;
    const name = anonymizer.anonymizeText(message.attachment);
    const raw = rawNames.get(message.attachment) ?? message.attachment;
    if (name !== raw) originals.set(name, raw);
    return name === message.attachment ? message : {...message, attachment: name};
  });
  return {messages: scrubbed, originals};
}

function authorCounts(messages: readonly ChatMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of messages) {
    if (message.author !== null) counts.set(message.author, (counts.get(message.author) ?? 0) + 1);
  }
  return counts;
}

/** Messages anonymized per step; the raw ones of a step are released as soon as it is done. */
const ANONYMIZE_BATCH = 4096;
const RELEASED = undefined as unknown as ChatMessage;

/**
 * Pseudonymized copies of the chat, made step by step while the raw messages are let go, so that a
 * large chat is not held twice at its peak. Every person is registered first, so names are scrubbed
 * in messages that come before their first appearance.
 */
function anonymizeReleasing(anonymizer: Anonymizer, raw: ChatMessage[]): ChatMessage[] {
  anonymizer.registerPeople(raw);
  const anonymized: ChatMessage[] = [];
  for (let start = 0; start < raw.length; start += ANONYMIZE_BATCH) {
    const end = Math.min(raw.length, start + ANONYMIZE_BATCH);
    for (const message of anonymizer.anonymize(raw.slice(start, end))) anonymized.push(message);
    // Let the raw messages of this step go (the caller is done with them: the chat has one copy now).
    raw.fill(RELEASED, start, end);
  }
  raw.length = 0;
  return anonymized;
}

/** Bytes of a throw-away secret for a dry run in a project that has none yet. */
const EPHEMERAL_SECRET_BYTES = 32;

/**
 * The project's anonymizer. A dry run must write nothing, so where no secret exists yet it uses a
 * throw-away one: pseudonyms then differ from the real run's, but nothing of that run exists to match.
 */
async function projectAnonymizer(
  stateDir: string,
  mayWrite: boolean,
): Promise<Anonymizer | (Anonymizer & {save(): Promise<void>})> {
  if (mayWrite || existsSync(path.join(stateDir, SECRET_FILE))) return loadAnonymizer(stateDir);
  return createAnonymizer({secret: randomBytes(EPHEMERAL_SECRET_BYTES)});
}

/**
 * The ingest stage: pseudonymize and redact the parsed messages, and store them with the ingest run's
 * id. The same chat bytes under the same ingest settings reuse the completed ingest (no new run, no
 * duplicated rows) unless `force`; a forced ingest is a new run and leaves old rows with their run.
 */
export async function runIngest(input: IngestInput): Promise<IngestResult> {
  const {source, parsed, state, tracker} = input;
  const fingerprint = parsed.summary.inputFingerprint;
  const configHash = ingestConfigHash(input.timezone, source.chatEntry, input.dateOrder);
  // Lines in other layouts, or header-like lines kept as text: said now, and kept in the ingest run.
  const notes = parseNotes(parsed.summary);
  for (const note of notes) input.onWarning?.(note);
  const anonymizer = await projectAnonymizer(state.stateDir, tracker !== null);
  const {messages, originals} = scrubAttachments(
    anonymizer,
    anonymizeReleasing(anonymizer, parsed.messages),
    parsed.rawAttachmentNames,
  );
  const authors = authorCounts(messages);
  const base = {
    chatEntry: source.chatEntry,
    messages,
    authors: authors.size,
    attachmentNames: originals,
    realNames: Object.values(anonymizer.mapping()),
  };

  const reusable =
    input.force || !mayLookUp(tracker)
      ? undefined
      : (
          await lookupOrNothing(
            () =>
              findReusableRunsInStore({
                dbPath: state.runsDb,
                inputFingerprints: [fingerprint],
                configHash,
                stage: 'ingest',
              }),
            new Map<string, RunRecord>(),
            input.onWarning,
          )
        ).get(fingerprint);
  // A completed ingest is only reusable if its rows are really there (pipeline.duckdb may have been deleted).
  const storedMessages = reusable ? await countIngestMessages(state.pipelineDb, reusable.run_id) : 0;
  if (reusable && storedMessages === messages.length) {
    return {...base, runId: reusable.run_id, reused: true};
  }
  if (tracker === null) return {...base, runId: null, reused: false};

  if ('save' in anonymizer) await anonymizer.save();
  const runId = await runStage(
    tracker,
    {
      stage: 'ingest',
      rowsIn: parsed.summary.lines,
      inputFingerprint: fingerprint,
      configHash,
      parentRunIds: input.processRunId ? [input.processRunId] : [],
    },
    async (context) => {
      // The run's row must exist before rows that name it (a kill in between leaves no orphans).
      await tracker.flush();
      await storeIngestRows(state.pipelineDb, {
        runId: context.runId,
        messages,
        authors,
        media: source.media.map((entry) => ({
          name: anonymizer.anonymizeText(entry.name),
          entryPath: anonymizer.anonymizeText(entry.entry),
          size: entry.size,
        })),
      });
      return context.runId;
    },
    {
      // Finished, with something declared: not every line was in the file's layout (docs/FORMATS.md).
      outcome: () =>
        notes.length === 0
          ? {rowsOut: messages.length}
          : {rowsOut: messages.length, status: 'degraded', error: `${INGEST_NOTE_PREFIX}${notes.join('; ')}`},
    },
  );
  return {...base, runId, reused: false};
}
