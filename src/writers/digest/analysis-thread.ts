import {availableParallelism} from 'node:os';
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads';
import type {ChatMessage} from '../../../schemas/message.js';
import {
  type AnalyzedMessage,
  analyzedMessage,
  analyzePortably,
  analyzeWindow,
  type DigestAnalysis,
  type PortableAnalysis,
  resolveAnalysis,
} from './analyze.js';
import {type PackedMessages, packMessages, unpackMessages} from './packed-messages.js';

/**
 * The digest's text analysis is most of a window's work on the main thread (~1 ms of CPU per
 * 100-message window: tokenizing, scoring, topics), while the rest of a window is waiting on files
 * and databases. Run on a worker thread, it overlaps that waiting on the machine's second core
 * (docs/BENCHMARKS.md). The worker runs this very module file, bundled or not: started with
 * WORKER_ROLE in its workerData, the module answers analysis requests instead of making them.
 *
 * Where no worker can be started (a test runner that loads TypeScript through its own hooks, a
 * restricted runtime), the analysis runs in the caller's thread: the same function, the same bytes.
 */
const WORKER_ROLE = 'egregora-digest-analysis';

type AnalysisRequest =
  /** Just the fields the analysis reads, in columns (packed-messages.ts). */
  | {readonly id: number; readonly packed: PackedMessages}
  /** A window with too many distinct names for the columns' indices. */
  | {readonly id: number; readonly messages: readonly AnalyzedMessage[]};

type AnalysisReply =
  | {readonly id: number; readonly analysis: PortableAnalysis}
  | {readonly id: number; readonly error: string};

if (!isMainThread && (workerData as {role?: unknown} | null)?.role === WORKER_ROLE) answerRequests();

function answerRequests(): void {
  const port = parentPort;
  port?.on('message', (request: AnalysisRequest) => {
    let reply: AnalysisReply;
    try {
      const messages = 'packed' in request ? unpackMessages(request.packed) : request.messages;
      reply = {id: request.id, analysis: analyzePortably(messages)};
    } catch (error) {
      reply = {id: request.id, error: error instanceof Error ? error.message : String(error)};
    }
    port.postMessage(reply);
  });
}

/**
 * The young generation of each analysis thread, in MB. A thread keeps nothing between windows: what
 * it allocates is one window's garbage, and V8's default young generation (tens of MB per thread)
 * only let that garbage pile up in memory. At 8 MB a 1,000,000-message Thai run peaked at 603-611 MB
 * instead of 671-673 MB, in the same time (4 MB: 597-603 MB, 2 MB: 590-602 MB, more collections).
 */
const ANALYSIS_YOUNG_GENERATION_MB = 8;

interface PendingAnalysis {
  readonly messages: readonly ChatMessage[];
  readonly resolve: (analysis: DigestAnalysis) => void;
  readonly reject: (error: unknown) => void;
}

/** One worker, started on first use; it holds the process open only while it has work. */
class AnalysisThread {
  private worker: Worker | null = null;
  private unavailable = false;
  private nextId = 0;
  /** Analyses the worker delivered (the rest were made in the calling thread). */
  answeredByWorker = 0;
  private readonly pending = new Map<number, PendingAnalysis>();

  constructor(private readonly workerUrl: URL) {}

  /** Analyses sent and not yet answered: what the pool decides by (QUEUE_BEFORE_NEXT_THREAD). */
  get load(): number {
    return this.pending.size;
  }

  analyze(messages: readonly ChatMessage[]): Promise<DigestAnalysis> {
    const worker = this.unavailable ? null : (this.worker ?? this.start());
    if (worker === null) return Promise.resolve().then(() => analyzeWindow(messages));
    const id = this.nextId++;
    return new Promise<DigestAnalysis>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, {messages, resolve, reject});
      const packed = packMessages(messages);
      const request: AnalysisRequest =
        packed === undefined ? {id, messages: messages.map(analyzedMessage)} : {id, packed};
      worker.postMessage(request);
    });
  }

  private start(): Worker | null {
    try {
      const worker = new Worker(this.workerUrl, {
        workerData: {role: WORKER_ROLE},
        resourceLimits: {maxYoungGenerationSizeMb: ANALYSIS_YOUNG_GENERATION_MB},
      });
      worker.unref();
      worker.on('message', (reply: AnalysisReply) => this.settle(reply));
      worker.on('error', () => this.giveUp());
      worker.on('exit', () => this.giveUp());
      this.worker = worker;
      return worker;
    } catch {
      this.unavailable = true;
      return null;
    }
  }

  private settle(reply: AnalysisReply): void {
    const request = this.pending.get(reply.id);
    if (request === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('analysis' in reply) {
      this.answeredByWorker += 1;
      request.resolve(resolveAnalysis(request.messages, reply.analysis));
    }
    // The worker's error lost its type on the way: the same call here throws the original one.
    else this.analyzeHere(request);
  }

  /** The worker failed or ended: what it still owed is done here, and so is everything after. */
  private giveUp(): void {
    this.unavailable = true;
    this.worker = null;
    const owed = [...this.pending.values()];
    this.pending.clear();
    for (const request of owed) this.analyzeHere(request);
  }

  private analyzeHere(request: PendingAnalysis): void {
    try {
      request.resolve(analyzeWindow(request.messages));
    } catch (error) {
      request.reject(error);
    }
  }
}

/**
 * Analysis threads a process may start: one per core. The analysis is most of the CPU of a window in
 * scripts that go through the word segmenter (Chinese, Japanese, Thai: ~1 µs per segment), where one
 * thread kept the main thread idle most of the run; with a thread per core the JavaScript thread's
 * own share competes with them for the cores, which costs less than it gains (docs/BENCHMARKS.md:
 * Thai 1,000,000 messages 31.9-39.0 s with one thread, 27.9-30.8 s with two, on two cores). At most
 * eight: windows in flight are bounded by the concurrency, so more could never all be busy.
 */
export const ANALYSIS_THREADS = Math.max(1, Math.min(8, availableParallelism()));

/**
 * Analyses a thread may owe before the next thread is given work: the one it is computing and one
 * queued behind it. Fewer analyses owed means the analysis is not what the windows wait for, and then
 * another busy thread would only take CPU from the main thread, which then is (docs/BENCHMARKS.md:
 * with every thread taking work as it came, the default profile, bound by its main thread, ran 1-3 s
 * slower than with one thread in two alternating rounds; with this rule, within the noise).
 */
export const QUEUE_BEFORE_NEXT_THREAD = 2;

/**
 * Several threads on one module, started as they are needed: each window goes to the first thread
 * that owes fewer than QUEUE_BEFORE_NEXT_THREAD analyses, or when all owe that many, to the one that
 * owes the fewest. A second thread starts only once the first has a queue.
 */
class AnalysisPool {
  private readonly threads: AnalysisThread[];

  constructor(workerUrl: URL, size: number) {
    this.threads = Array.from({length: Math.max(1, size)}, () => new AnalysisThread(workerUrl));
  }

  analyze(messages: readonly ChatMessage[]): Promise<DigestAnalysis> {
    let chosen = this.threads[0] as AnalysisThread;
    for (const thread of this.threads) {
      if (thread.load < QUEUE_BEFORE_NEXT_THREAD) {
        chosen = thread;
        break;
      }
      if (thread.load < chosen.load) chosen = thread;
    }
    return chosen.analyze(messages);
  }

  /** Analyses the workers delivered (the rest were made in the calling thread). */
  get answeredByWorker(): number {
    return this.threads.reduce((sum, thread) => sum + thread.answeredByWorker, 0);
  }

  /** How many threads delivered at least one analysis. */
  get threadsAnswering(): number {
    return this.threads.filter((thread) => thread.answeredByWorker > 0).length;
  }
}

let shared: AnalysisPool | null = null;

/** The window's analysis, computed on the shared worker threads when they can start. */
export function analyzeOffThread(messages: readonly ChatMessage[]): Promise<DigestAnalysis> {
  shared ??= new AnalysisPool(new URL(import.meta.url), ANALYSIS_THREADS);
  return shared.analyze(messages);
}

/** Threads of their own on a given module (tests: the built bundle's copy of this module). */
export function createAnalysisThreads(
  workerUrl: URL,
  size = 1,
): {
  analyze(messages: readonly ChatMessage[]): Promise<DigestAnalysis>;
  readonly answeredByWorker: number;
  readonly threadsAnswering: number;
} {
  return new AnalysisPool(workerUrl, size);
}
