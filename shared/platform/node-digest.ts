// Worker threads for a bundle that is a file on disk (their code: node-digest-worker.ts).
// Each worker opens the file itself and hashes the whole file or digests entries without
// bytes crossing threads, with readEntry's checks and error codes, on every core. The
// verifier uses it for the file digest and for the payload files it does not need to keep.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DigestQueue, EntryDigest, EntryDigestJob } from './ports';
import { CancelledError } from './ports';
import type { DigestWorkerReply } from './node-digest-worker';
import { digestWorkerSource } from './node-digest-worker';

/** Numbers per job in a batch message: data offset, compressed and uncompressed size, method, CRC-32. */
const JOB_FIELDS = 5;

/** The worker program's text, made once. */
let workerSource: string | null = null;

type Reply = DigestWorkerReply;

function encodeJobs(batch: EntryDigestJob[]): Float64Array<ArrayBuffer> {
  const out = new Float64Array(batch.length * JOB_FIELDS);
  batch.forEach((job, i) => out.set([job.dataOffset, job.compressedSize, job.uncompressedSize, job.method, job.crc32], i * JOB_FIELDS));
  return out;
}

function decodeResults(batch: EntryDigestJob[], reply: Reply, into: EntryDigest[]): void {
  const failed = new Map(reply.failures!.map((f) => [f.index, f]));
  batch.forEach((job, i) => {
    const failure = failed.get(i);
    into.push(
      failure
        ? { path: job.path, error: { code: failure.code, message: failure.message } }
        : { path: job.path, sha256: reply.digests!.slice(i * 64, i * 64 + 64), size: reply.sizes![i]! },
    );
  });
}

/** Workers started before any file is known (prestartFileWorkers); the next pools take them. */
const spares: Worker[] = [];

function startWorker(): Worker {
  workerSource ??= digestWorkerSource(JOB_FIELDS);
  const worker = new Worker(workerSource, { eval: true });
  worker.unref();
  return worker;
}

/**
 * Starts the workers a file source will want, before it is opened: a command line that is
 * about to verify a bundle calls this first, so their start-up (about 25 ms of a core each)
 * overlaps the loading of the command's code instead of the reading of the bundle. Unused,
 * they are unreferenced and end with the process. Returns how many it started (none when
 * `count` are already waiting).
 */
export function prestartFileWorkers(count = workerCount()): number {
  let started = 0;
  for (; spares.length < count; started++) {
    const worker = startWorker();
    const drop = () => {
      const at = spares.indexOf(worker);
      if (at >= 0) spares.splice(at, 1);
    };
    worker.on('error', drop);
    worker.on('exit', drop);
    spares.push(worker);
  }
  return started;
}

/** One worker per core, from 1 to 4. */
function workerCount(asked = availableParallelism()): number {
  return Math.max(1, Math.min(asked, 4));
}

type Pending = { worker: Worker; resolve(reply: Reply): void; reject(e: unknown): void; settled: Promise<unknown> };

/**
 * A pool of such workers over one file. Started ahead of need, their start-up overlaps the
 * reading of the central directory; idle, they are unreferenced and never keep a process
 * alive. `hashFile` runs on the first worker, so the file digest costs no thread of its own
 * (a third thread's start-up was measurable on two cores). Once `digestEntries` is answered
 * the pool is closed to new work and its workers end when the file hash is answered too;
 * `close` stops them at their next entry or chunk, then ends them.
 */
export class FileWorkers {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private ended = false;
  /** Shared with the workers: set, they stop between entries and chunks (see node-digest-worker.ts). */
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    private readonly path: string,
    count?: number,
  ) {
    this.workers = Array.from({ length: workerCount(count) }, () => this.spawn());
  }

  private spawn(): Worker {
    const worker = spares.shift() ?? startWorker();
    worker.removeAllListeners();
    worker.postMessage({ path: this.path, stopFlag: this.stopFlag.buffer });
    worker.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (![...this.pending.values()].some((q) => q.worker === worker)) worker.unref();
      p.resolve(reply);
    });
    const lost = (e: unknown) => {
      const at = this.workers.indexOf(worker);
      if (at >= 0) this.workers.splice(at, 1);
      for (const [id, p] of this.pending) {
        if (p.worker !== worker) continue;
        this.pending.delete(id);
        p.reject(e);
      }
    };
    worker.on('error', lost);
    worker.on('exit', () => lost(this.ended ? new CancelledError() : new Error(`a worker reading ${this.path} stopped`)));
    return worker;
  }

  private request(worker: Worker, message: { jobs: Float64Array<ArrayBuffer> } | { hashSize: number }): Promise<Reply> {
    const id = this.nextId++;
    let settle!: Pick<Pending, 'resolve' | 'reject'>;
    const reply = new Promise<Reply>((resolve, reject) => (settle = { resolve, reject }));
    this.pending.set(id, { worker, ...settle, settled: reply.catch(() => undefined) });
    worker.ref();
    worker.postMessage({ id, ...message }, 'jobs' in message ? [message.jobs.buffer] : []);
    return reply;
  }

  /** Rejects with CancelledError when `signal` fires first, and then ends the pool. */
  private cancellable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) return work;
    if (signal.aborted) {
      work.catch(() => undefined); // ended by close: its rejection is this one
      void this.close();
      return Promise.reject(new CancelledError());
    }
    return new Promise<T>((resolve, reject) => {
      const abort = () => {
        reject(new CancelledError());
        void this.close();
      };
      signal.addEventListener('abort', abort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
    });
  }

  /** SHA-256 (hex) of the file's first `size` bytes. */
  hashFile(size: number, signal?: AbortSignal): Promise<string> {
    const worker = this.workers[0];
    if (this.ended || !worker) return Promise.reject(new Error(`no worker is left to hash ${this.path}`));
    const work = this.request(worker, { hashSize: size }).then((reply) => {
      if (reply.cancelled) throw new CancelledError();
      if (reply.hex === undefined) throw new Error(`cannot hash ${this.path}: ${reply.error}`);
      return reply.hex;
    });
    return this.cancellable(work, signal);
  }

  /**
   * Digests entries of the file as they arrive in `queue`, one result per job. `onBytes`
   * reports compressed bytes as batches finish. The pool ends once this and any file hash
   * are answered.
   */
  async digestEntries(queue: DigestQueue, onBytes?: (n: number) => void, signal?: AbortSignal): Promise<EntryDigest[]> {
    try {
      const results: EntryDigest[] = [];
      const feed = async (worker: Worker) => {
        for (let batch = await queue.take(); batch && !this.ended; batch = await queue.take()) {
          const reply = await this.request(worker, { jobs: encodeJobs(batch) });
          if (reply.cancelled) return;
          decodeResults(batch, reply, results);
          onBytes?.(batch.reduce((n, j) => n + j.compressedSize, 0));
        }
      };
      if (this.workers.length === 0) throw new Error(`no worker is left to read ${this.path}`);
      await this.cancellable(Promise.all(this.workers.map(feed)), signal);
      return results;
    } finally {
      // The pool takes no more work from here; its workers end once the file hash (if still
      // running) is answered. The digests do not wait for that: ending a worker took up to
      // 30 ms, at the end of verification, with a core to spare.
      this.ended = true;
      void this.endWhenAnswered();
    }
  }

  private async endWhenAnswered(): Promise<void> {
    await Promise.all([...this.pending.values()].map((p) => p.settled));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** True once the pool has ended: a new one is needed for more work. */
  get closed(): boolean {
    return this.ended;
  }

  /**
   * Stops the workers at their next entry or chunk (what is pending is answered as
   * cancelled) and ends them once they are idle.
   */
  async close(): Promise<void> {
    this.ended = true;
    Atomics.store(this.stopFlag, 0, 1);
    await this.endWhenAnswered();
  }
}
