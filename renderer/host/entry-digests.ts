// The verify worker's side of entry-digest.worker.ts: ByteSource.digestEntries for a File,
// over a few entry workers fed batch by batch. Cancelling, or the end of the work,
// terminates them.
import type { ByteSource, EntryDigest, EntryDigestJob } from '../../shared/platform/ports';
import { CodedError } from '../../shared/platform/errors';
import type { BatchDigester } from '../../shared/platform/web-digest';
import { digestWith } from '../../shared/platform/web-digest';
import type { EntryDigestReply, EntryDigestRequest } from './entry-digest.worker';

/** Two, as the CLI's digest threads: measured in docs/web-performance.md. */
const WORKERS = 2;

/** Entry workers started ahead of need: they load their code while the verifier reads the zip. */
const spares: Worker[] = [];

function startWorker(): Worker {
  return new Worker(new URL('./entry-digest.worker.ts', import.meta.url), { type: 'module' });
}

/** Starts entry workers so that WORKERS wait for the next bundle. */
export function prestartEntryWorkers(): void {
  while (spares.length < WORKERS) spares.push(startWorker());
}

function spawn(blob: Blob): { digest: BatchDigester; end(): void } {
  const worker = spares.shift() ?? startWorker();
  worker.postMessage({ blob } satisfies EntryDigestRequest);
  let nextId = 0;
  const pending = new Map<number, { resolve(r: EntryDigest[]): void; reject(e: Error): void; onBytes(n: number): void }>();
  worker.onmessage = (event: MessageEvent<EntryDigestReply>) => {
    const reply = event.data;
    const p = pending.get(reply.id);
    if (!p) return;
    if (reply.type === 'progress') return p.onBytes(reply.bytes);
    pending.delete(reply.id);
    if (reply.type === 'done') p.resolve(reply.results);
    else p.reject(new CodedError('entry-digest-failed', `An entry worker failed: ${reply.message}`));
  };
  worker.onerror = (event) => {
    const error = new CodedError(
      'entry-digest-failed',
      `An entry worker stopped unexpectedly${event.message ? `: ${event.message}` : ''}.`,
    );
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const digest: BatchDigester = (jobs: EntryDigestJob[], onBytes) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, onBytes });
      worker.postMessage({ id, jobs } satisfies EntryDigestRequest);
    });
  return { digest, end: () => worker.terminate() };
}

/** digestEntries for `blob`, on entry workers started when it is called. */
export function digestEntriesInWorkers(blob: Blob): NonNullable<ByteSource['digestEntries']> {
  return async (queue, onBytes, signal) => {
    const workers = Array.from({ length: WORKERS }, () => spawn(blob));
    try {
      return await digestWith(
        queue,
        workers.map((w) => w.digest),
        onBytes,
        signal,
      );
    } finally {
      for (const w of workers) w.end();
      prestartEntryWorkers();
    }
  };
}
