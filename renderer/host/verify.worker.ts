// The verifier's thread in the web build: it holds the opened bundles (Files, read by
// slice, never whole) and runs verifyBundle with the web ports, so the page stays
// responsive while a large bundle is hashed.
/// <reference lib="webworker" />
import { verifyBundle } from '../../shared/evb/verify';
import type { VerifiedBundle } from '../../shared/evb/verify';
import { blobSource, webPlatform } from '../../shared/platform/web';
import { CancelledError, bytesSource } from '../../shared/platform/ports';
import type { ByteSource } from '../../shared/platform/ports';
import { buildDemoBundle } from '../../shared/model/demo-bundle';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

interface Opened {
  name: string;
  source: ByteSource;
  verified: VerifiedBundle | null;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;
const opened = new Map<string, Opened>();
const running = new Map<number, AbortController>();

function post(message: WorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

async function handle(msg: WorkerRequest): Promise<void> {
  switch (msg.kind) {
    case 'register': {
      opened.set(msg.id, { name: msg.name, source: blobSource(msg.file, msg.name), verified: null });
      post({ kind: 'registered', reqId: msg.reqId, name: msg.name, size: msg.file.size });
      return;
    }
    case 'demo': {
      const demo = await buildDemoBundle();
      const name = `${demo.bundleId}.evb`;
      opened.set(msg.id, { name, source: bytesSource(demo.bundle, name), verified: null });
      post({ kind: 'registered', reqId: msg.reqId, name, size: demo.bundle.length });
      return;
    }
    case 'verify': {
      const entry = opened.get(msg.id);
      if (!entry) throw Object.assign(new Error('This bundle is no longer open; open the file again.'), { code: 'not-open' });
      const controller = new AbortController();
      running.set(msg.reqId, controller);
      try {
        let last = 0;
        const verified = await verifyBundle(entry.source, {
          platform: webPlatform,
          trust: msg.trust,
          trustStoreName: msg.trustName,
          at: msg.at ? new Date(msg.at) : undefined,
          signal: controller.signal,
          onProgress: (progress) => {
            const now = Date.now();
            if (now - last < 50 && progress.done < progress.total) return;
            last = now;
            post({ kind: 'progress', reqId: msg.reqId, progress });
          },
        });
        entry.verified = verified;
        post({ kind: 'report', reqId: msg.reqId, report: verified.report });
      } finally {
        running.delete(msg.reqId);
      }
      return;
    }
    case 'cancel': {
      running.get(msg.target)?.abort();
      post({ kind: 'done', reqId: msg.reqId });
      return;
    }
    case 'read': {
      const entry = opened.get(msg.id);
      if (!entry?.verified) throw Object.assign(new Error('Verify the bundle before reading its entries.'), { code: 'not-verified' });
      const bytes = await entry.verified.readEntry(msg.path, msg.maxBytes);
      const copy = bytes.slice();
      post({ kind: 'bytes', reqId: msg.reqId, bytes: copy }, [copy.buffer]);
      return;
    }
    case 'close': {
      const entry = opened.get(msg.id);
      opened.delete(msg.id);
      await entry?.source.close?.();
      post({ kind: 'done', reqId: msg.reqId });
      return;
    }
  }
}

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  handle(msg).catch((e: unknown) => {
    const err = e as Error & { code?: string };
    const code = e instanceof CancelledError ? 'cancelled' : (err.code ?? 'error');
    post({ kind: 'error', reqId: msg.reqId, code, message: err.message ?? String(e) });
  });
};
