// An entry worker of the web build: digests batches of a bundle's entries
// (shared/platform/web-digest.ts) reading the File itself, so no entry's bytes cross
// threads. entry-digests.ts runs two of these beside the verify worker, as the CLI runs two
// digest threads (shared/platform/node-digest.ts).
/// <reference lib="webworker" />
import type { EntryDigest, EntryDigestJob, Platform } from '../../shared/platform/ports';
import { createWebPlatform } from '../../shared/platform/web';
import { digestJobs, readBuffers } from '../../shared/platform/web-digest';
import { sharedWasmZlib } from '../../shared/platform/web-zlib';
import { errorMessage } from '../../shared/platform/errors';

/** The file first, then batches. */
export type EntryDigestRequest = { blob: Blob } | { id: number; jobs: EntryDigestJob[] };

export type EntryDigestReply =
  | { id: number; type: 'progress'; bytes: number }
  | { id: number; type: 'done'; results: EntryDigest[] }
  | { id: number; type: 'failed'; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const platform: Promise<Platform> = createWebPlatform();
void sharedWasmZlib(); // loaded while the verify worker reads the zip
/** This worker's read buffers, kept from batch to batch (it answers one batch at a time). */
const buffers = readBuffers();
let blob: Blob | null = null;

function post(reply: EntryDigestReply): void {
  scope.postMessage(reply);
}

async function answer(id: number, jobs: EntryDigestJob[]): Promise<void> {
  try {
    if (!blob) throw new Error('no file was given before the first batch');
    const results = await digestJobs(blob, jobs, await platform, {
      onBytes: (bytes) => post({ id, type: 'progress', bytes }),
      buffers,
    });
    post({ id, type: 'done', results });
  } catch (e) {
    post({ id, type: 'failed', message: errorMessage(e) });
  }
}

scope.onmessage = (event: MessageEvent<EntryDigestRequest>) => {
  const m = event.data;
  if ('blob' in m) blob = m.blob;
  else void answer(m.id, m.jobs);
};
