/**
 * Ingest: safe archive reading, chat discovery, the streaming parser and anonymization.
 * Other folders import from here.
 */
export {
  Anonymizer,
  type AnonymizerOptions,
  authorKey,
  createAnonymizer,
  loadAnonymizer,
  type StoredAnonymizer,
} from './anonymize.js';
export {AUTHOR_MAP_FILE, SECRET_FILE} from './anonymizer-store.js';
export {type ArchiveEntry, openZipArchive, type StreamEntryOptions, type ZipArchive} from './archive.js';
export {chooseChatEntry, isDecoyEntry, looksLikeChatName, type MediaEntry} from './discovery.js';
export {
  type ArchiveLimits,
  DEFAULT_ARCHIVE_LIMITS,
  formatBytes,
  limitsForMaxSize,
  MAX_CHAT_BYTES,
  MAX_COMPRESSION_RATIO,
  MAX_ENTRIES,
  MAX_ENTRY_BYTES,
  MAX_TOTAL_BYTES,
  parseByteSize,
  RATIO_FLOOR_BYTES,
  resolveLimits,
} from './limits.js';
export {
  BATCH_SIZE,
  type ChatParse,
  ChatParser,
  type ParsedChat,
  type ParseOptions,
  parseChat,
  parseChatText,
} from './parser.js';
export {type ChatReading, openChatReading, type ReadChatOptions} from './read-chat.js';
export {EMAIL_REDACTION, isPhoneNumber, PHONE_REDACTION, redactContacts} from './redact.js';
export {type ChatSource, type ChatSourceOptions, openChatSource} from './source.js';
export {resolveTimeZone, systemTimeZone, WallClock} from './wall-clock.js';
