// The whole-file SHA-256 of a bundle (the report's fileSha256) on its own thread, beside the
// entry checks of verify.worker.ts: it reads the File itself as a stream (nothing is copied
// between threads) and hashes in WebAssembly (hash-wasm, 1.6-2.3x the TypeScript
// SHA-256), or in TypeScript where WebAssembly is refused. Posts the bytes hashed so far,
// then the digest; the verify worker ends it by terminate() on cancel.
/// <reference lib="webworker" />
import { createSHA256 } from 'hash-wasm';
import { Sha256Stream } from '../../shared/platform/sha256';
import { hexEncode } from '../../shared/platform/hex';
import { errorMessage } from '../../shared/platform/errors';
import { READ_PIECE, blobPieces } from '../../shared/platform/web-blob';

/** What the verify worker sends: the file to hash. */
export interface FileHashRequest {
  blob: Blob;
}

/** What this worker answers: bytes hashed so far, then the digest or why not. */
export type FileHashReply = { type: 'progress'; done: number } | { type: 'done'; sha256: string } | { type: 'failed'; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const PROGRESS_EVERY = 4 * 1024 * 1024;

async function hasher(): Promise<{ update(b: Uint8Array): void; digest(): Uint8Array }> {
  try {
    const h = await createSHA256();
    h.init();
    return { update: (b) => h.update(b), digest: () => h.digest('binary') as Uint8Array };
  } catch {
    return new Sha256Stream();
  }
}

/**
 * Reads the File as one stream (by 4 MiB slices, each a round trip to the browser process,
 * it took twice as long), into one buffer read into again and again (a BYOB reader): a
 * default reader makes a fresh buffer of up to 2 MiB per read, and on the 2-core bench
 * machine fresh memory made the hash of the 522 MB bundle take 3.1 s against 1.8 s.
 * Progress is posted about every 4 MiB.
 */
async function hashBlob(blob: Blob): Promise<string> {
  const h = await hasher();
  let done = 0;
  let posted = 0;
  for await (const piece of blobPieces(blob, new ArrayBuffer(READ_PIECE))) {
    h.update(piece);
    done += piece.length;
    if (done - posted >= PROGRESS_EVERY) {
      post({ type: 'progress', done });
      posted = done;
    }
  }
  post({ type: 'progress', done });
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
