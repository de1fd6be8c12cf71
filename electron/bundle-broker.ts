// Main's side of verification: it keeps each opened bundle's path (or "the demo") under an
// opaque id, and forwards verify / read / close to the verification process, starting it
// when needed and failing what was in flight if it exits. The renderer only ever holds
// the id, the display name and the size.

import type { BundleHandle, VerifyRequest } from '../shared/ipc/host-api';
import type { Progress } from '../shared/platform/ports';
import type { VerificationReport } from '../shared/evb/report';
import type { SourceSpec, WorkerReply, WorkerRequest } from './worker-service';
import { displayName } from './policy';

/** The verification process as main sees it (a UtilityProcess, or a fake in tests). */
export interface WorkerChannel {
  post(message: WorkerRequest): void;
  onMessage(listener: (reply: WorkerReply) => void): void;
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

export interface BrokerDeps {
  spawn(): WorkerChannel;
  stat(path: string): Promise<{ size: number; isFile: boolean }>;
  newId(): string;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (p: Progress) => void;
}

class BrokerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BrokerError';
  }
}

const DEMO_NAME = 'demo.evb';

export interface BundleBroker {
  openPath(path: string): Promise<BundleHandle>;
  openDemo(): Promise<BundleHandle>;
  verify(bundleId: string, request: VerifyRequest, rendererJob: string, onProgress: (p: Progress) => void): Promise<VerificationReport>;
  cancel(rendererJob: string): void;
  readEntry(bundleId: string, path: string, maxBytes?: number): Promise<Uint8Array>;
  close(bundleId: string): Promise<void>;
  /** The path main opened for a bundle id (for recent documents); never sent to the renderer. */
  pathOf(bundleId: string): string | null;
  dispose(): void;
}

export function createBundleBroker(deps: BrokerDeps): BundleBroker {
  const sources = new Map<string, SourceSpec>();
  const pending = new Map<string, Pending>();
  const rendererJobs = new Map<string, string>();
  let worker: WorkerChannel | null = null;

  const channel = (): WorkerChannel => {
    if (worker) return worker;
    const w = deps.spawn();
    worker = w;
    w.onMessage((reply) => {
      if (worker !== w) return;
      const p = pending.get(reply.job);
      if (!p) return;
      if (reply.type === 'progress') return p.onProgress?.(reply.progress);
      pending.delete(reply.job);
      if (reply.type === 'done') p.resolve(reply.value);
      else p.reject(new BrokerError(reply.error.code, reply.error.message));
    });
    w.onExit((code) => {
      if (worker !== w) return;
      worker = null;
      const failed = [...pending.values()];
      pending.clear();
      for (const p of failed)
        p.reject(new BrokerError('worker-exited', `The verification process stopped (exit code ${code}). Try again.`));
    });
    return w;
  };

  const call = <T>(build: (job: string) => WorkerRequest, onProgress?: (p: Progress) => void): { job: string; promise: Promise<T> } => {
    const job = deps.newId();
    const promise = new Promise<T>((resolve, reject) => {
      pending.set(job, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      try {
        channel().post(build(job));
      } catch (e) {
        pending.delete(job);
        reject(e as Error);
      }
    });
    return { job, promise };
  };

  const known = (bundleId: string): SourceSpec => {
    const s = sources.get(bundleId);
    if (!s) throw new BrokerError('unknown-bundle', 'No open bundle has this id.');
    return s;
  };

  return {
    async openPath(path) {
      const st = await deps.stat(path);
      if (!st.isFile) throw new BrokerError('not-a-file', `${displayName(path)} is not a file.`);
      const id = deps.newId();
      sources.set(id, { kind: 'file', path });
      return { id, name: displayName(path), size: st.size };
    },
    async openDemo() {
      const { size } = await call<{ size: number }>((job) => ({ type: 'demo', job })).promise;
      const id = deps.newId();
      sources.set(id, { kind: 'demo' });
      return { id, name: DEMO_NAME, size };
    },
    async verify(bundleId, request, rendererJob, onProgress) {
      const source = known(bundleId);
      const { job, promise } = call<VerificationReport>((job) => {
        const m: WorkerRequest = { type: 'verify', job, bundle: bundleId, source, trust: request.trust };
        if (request.at !== undefined) m.at = request.at;
        return m;
      }, onProgress);
      rendererJobs.set(rendererJob, job);
      try {
        return await promise;
      } finally {
        if (rendererJobs.get(rendererJob) === job) rendererJobs.delete(rendererJob);
      }
    },
    cancel(rendererJob) {
      const job = rendererJobs.get(rendererJob);
      if (job && worker) worker.post({ type: 'cancel', job });
    },
    async readEntry(bundleId, path, maxBytes) {
      known(bundleId);
      return call<Uint8Array>((job) => {
        const m: WorkerRequest = { type: 'read', job, bundle: bundleId, path };
        if (maxBytes !== undefined) m.maxBytes = maxBytes;
        return m;
      }).promise;
    },
    async close(bundleId) {
      if (!sources.delete(bundleId)) return;
      if (!worker) return;
      await call<null>((job) => ({ type: 'close', job, bundle: bundleId })).promise;
    },
    pathOf(bundleId) {
      const s = sources.get(bundleId);
      return s?.kind === 'file' ? s.path : null;
    },
    dispose() {
      const w = worker;
      worker = null;
      for (const p of pending.values()) p.reject(new BrokerError('worker-exited', 'The app is closing.'));
      pending.clear();
      w?.kill();
    },
  };
}
