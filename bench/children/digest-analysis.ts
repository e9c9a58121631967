import {createHash} from 'node:crypto';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import type {AnalyzedMessage, PortableAnalysis} from '../../src/writers/digest/analyze.js';
import {corpus, SCRIPT_PROFILES, type ScriptProfile} from '../fixtures/script-corpus.js';

/**
 * `node digest-analysis.mjs <dist dir> <profile> <messages> <seed>`: runs the digest analysis of the
 * build in <dist dir> (its dist/src/writers/digest/analyze.js, so an older build can be measured the
 * same way) over 100-message windows of a generated chat of the profile, and prints, as JSON, the CPU
 * and wall time of the analysis alone and a hash of every analysis, which must not depend on the build.
 */
const WINDOW_MESSAGES = 100;
const AUTHORS = 60;
/**
 * Windows of another seed analysed first and left out of the figures: the JIT and the segmenter's data
 * warm up on them, as on a chat's first windows in a real run.
 */
const WARM_UP_WINDOWS = 20;

const [distDir, profileArg, countArg, seedArg] = process.argv.slice(2);
if (distDir === undefined || !SCRIPT_PROFILES.includes(profileArg as ScriptProfile))
  throw new Error('usage: digest-analysis <dist dir> <profile> <messages> <seed>');
const profile = profileArg as ScriptProfile;
const count = Number(countArg ?? 20_000);
const seed = Number(seedArg ?? 14);

const module = (await import(
  pathToFileURL(path.join(distDir, 'src', 'writers', 'digest', 'analyze.js')).href
)) as {analyzePortably(messages: readonly AnalyzedMessage[]): PortableAnalysis};

const texts = corpus(profile, count, seed);
const warmUpTexts = corpus(profile, WARM_UP_WINDOWS * WINDOW_MESSAGES, seed + 1);
const authors = Array.from({length: AUTHORS}, (_, index) => `author-${index.toString(36)}-heron`);
const messagesOf = (list: readonly string[]): AnalyzedMessage[] =>
  list.map((text, index) => ({
    kind: 'message',
    author: authors[(index * 7919) % AUTHORS] as string,
    text,
    edited: false,
  }));
const windowsOf = (list: readonly AnalyzedMessage[]): AnalyzedMessage[][] => {
  const windows: AnalyzedMessage[][] = [];
  for (let start = 0; start < list.length; start += WINDOW_MESSAGES)
    windows.push(list.slice(start, start + WINDOW_MESSAGES));
  return windows;
};
const messages = messagesOf(texts);
const windows = windowsOf(messages);

for (const window of windowsOf(messagesOf(warmUpTexts))) module.analyzePortably(window);

const hash = createHash('sha256');
const cpuBefore = process.cpuUsage();
const wallBefore = performance.now();
const analyses = windows.map((window) => module.analyzePortably(window));
const wallMs = performance.now() - wallBefore;
const cpu = process.cpuUsage(cpuBefore);
for (const analysis of analyses) hash.update(JSON.stringify(analysis));
process.stdout.write(
  JSON.stringify({
    profile,
    messages: messages.length,
    textChars: texts.reduce((sum, text) => sum + text.length, 0),
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    analysesHash: hash.digest('hex'),
  }),
);
