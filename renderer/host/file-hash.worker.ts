// The whole-file SHA-256 of a bundle (the report's fileSha256) on its own thread, beside the
// entry checks of verify.worker.ts: it reads the File itself by slices (nothing is copied
// between threads) and hashes in WebAssembly (hash-wasm, 1.6-2.3x the TypeScript
// SHA-256), or in TypeScript where WebAssembly is refused. Posts the bytes hashed so far,
// then the digest; the verify worker ends it by terminate() on cancel.
/// <reference lib="webworker" />
import { createSHA256 } from 'hash-wasm';
import { Sha256Stream } from '../../shared/platform/sha256';
import { hexEncode } from '../../shared/platform/hex';
import { errorMessage } from '../../shared/platform/errors';

/** What the verify worker sends: the file to hash. */
export interface FileHashRequest {
  blob: Blob;
}

/** What this worker answers: bytes hashed so far, then the digest or why not. */
export type FileHashReply = { type: 'progress'; done: number } | { type: 'done'; sha256: string } | { type: 'failed'; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const CHUNK = 4 * 1024 * 1024;

async function hasher(): Promise<{ update(b: Uint8Array): void; digest(): Uint8Array }> {
  try {
    const h = await createSHA256();
    h.init();
    return { update: (b) => h.update(b), digest: () => h.digest('binary') as Uint8Array };
  } catch {
    return new Sha256Stream();
  }
}

async function hashBlob(blob: Blob): Promise<string> {
  const h = await hasher();
  // One read ahead while the previous slice is hashed.
  let next: Promise<ArrayBuffer> | null = blob.slice(0, CHUNK).arrayBuffer();
  for (let at = 0; next;) {
    const bytes = new Uint8Array(await next);
    at += bytes.length;
    next = at < blob.size ? blob.slice(at, Math.min(at + CHUNK, blob.size)).arrayBuffer() : null;
    h.update(bytes);
    post({ type: 'progress', done: at });
  }
  return hexEncode(h.digest());
}

function post(reply: FileHashReply): void {
  scope.postMessage(reply);
}

scope.onmessage = (event: MessageEvent<FileHashRequest>) => {
  hashBlob(event.data.blob).then(
    (sha256) => post({ type: 'done', sha256 }),
    (e: unknown) => post({ type: 'failed', message: errorMessage(e) }),
  );
};
