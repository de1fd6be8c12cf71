// The verify worker's side of file-hash.worker.ts: a Blob's SHA-256 computed on a thread of
// its own, with the bytes hashed reported as they go. Cancelling terminates that thread.
import type { FileHashReply, FileHashRequest } from './file-hash.worker';
import { CancelledError } from '../../shared/platform/ports';
import { CodedError } from '../../shared/platform/errors';

export function hashFileInWorker(blob: Blob, onHashed?: (done: number) => void, signal?: AbortSignal): Promise<string> {
  if (signal?.aborted) return Promise.reject(new CancelledError());
  const worker = new Worker(new URL('./file-hash.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<string>((resolve, reject) => {
    const end = () => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      end();
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (event: MessageEvent<FileHashReply>) => {
      const reply = event.data;
      if (reply.type === 'progress') return onHashed?.(reply.done);
      end();
      if (reply.type === 'done') resolve(reply.sha256);
      else reject(new CodedError('file-unreadable', `The bundle could not be read to hash it: ${reply.message}`));
    };
    worker.onerror = (event) => {
      end();
      reject(new CodedError('file-hash-failed', `The file hasher stopped unexpectedly${event.message ? `: ${event.message}` : ''}.`));
    };
    worker.postMessage({ blob } satisfies FileHashRequest);
  });
}
