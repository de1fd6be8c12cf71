// The verification service that runs in Electron's utilityProcess (verify-worker.ts wires
// it to process.parentPort). It holds opened bundles by the opaque id main gave them,
// opens files itself (main sends the path it chose in its own dialog or got from the OS;
// the renderer never does), verifies with the Node ports, streams throttled progress, and
// answers entry reads with bytes.

import type { ByteSource, Platform, Progress } from '../shared/platform/ports';
import type { VerificationReport } from '../shared/evb/report';
import type { TrustStore } from '../shared/evb/crypto-types';
import type { VerifiedBundle, VerifyOptions } from '../shared/evb/verify';

export type SourceSpec = { kind: 'file'; path: string } | { kind: 'demo' };

export type WorkerRequest =
  | { type: 'verify'; job: string; bundle: string; source: SourceSpec; trust: TrustStore; at?: string }
  | { type: 'cancel'; job: string }
  | { type: 'read'; job: string; bundle: string; path: string; maxBytes?: number }
  | { type: 'close'; job: string; bundle: string }
  | { type: 'demo-size'; job: string };

export type WorkerReply =
  | { type: 'progress'; job: string; progress: Progress }
  | { type: 'done'; job: string; value: VerificationReport | Uint8Array | number | null }
  | { type: 'failed'; job: string; error: { code: string; message: string } };

export interface WorkerDeps {
  platform: Platform;
  openFile(path: string): Promise<ByteSource>;
  /** The demo bundle's bytes (built once, then kept). */
  buildDemo(): Promise<Uint8Array>;
  demoSource(bytes: Uint8Array): ByteSource;
  verify(source: ByteSource, options: VerifyOptions): Promise<VerifiedBundle>;
  post(reply: WorkerReply): void;
  /** Milliseconds; for progress throttling. */
  now(): number;
  progressIntervalMs?: number;
}

/**
 * Passes progress on at most once per interval, but always when the phase changes and
 * when a phase completes, so the bar never stalls short of a finished step.
 */
export function throttleProgress(emit: (p: Progress) => void, intervalMs: number, now: () => number): (p: Progress) => void {
  let last = -Infinity;
  let phase: Progress['phase'] | null = null;
  return (p) => {
    const t = now();
    if (p.phase !== phase || p.done >= p.total || t - last >= intervalMs) {
      phase = p.phase;
      last = t;
      emit({ ...p });
    }
  };
}

function describe(e: unknown): { code: string; message: string } {
  const err = e as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof err?.code === 'string' ? err.code : err?.name === 'CancelledError' ? 'cancelled' : 'error';
  const message = typeof err?.message === 'string' ? err.message : String(e);
  return { code, message };
}

interface Held {
  source: ByteSource;
  verified: VerifiedBundle | null;
}

export interface WorkerService {
  handle(message: unknown): Promise<void>;
  /** Bundles currently held (for tests and shutdown). */
  held(): string[];
  closeAll(): Promise<void>;
}

export function createWorkerService(deps: WorkerDeps): WorkerService {
  const bundles = new Map<string, Held>();
  const jobs = new Map<string, AbortController>();
  let demo: Promise<Uint8Array> | null = null;
  const demoBytes = () => {
    demo ??= deps.buildDemo();
    demo.catch(() => (demo = null));
    return demo;
  };

  const release = async (id: string) => {
    const h = bundles.get(id);
    bundles.delete(id);
    await h?.source.close?.();
  };

  const run = async (job: string, work: () => Promise<VerificationReport | Uint8Array | number | null>) => {
    try {
      deps.post({ type: 'done', job, value: await work() });
    } catch (e) {
      deps.post({ type: 'failed', job, error: describe(e) });
    }
  };

  async function handle(message: unknown): Promise<void> {
    const m = message as WorkerRequest;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string' || typeof (m as { job?: unknown }).job !== 'string') return;
    switch (m.type) {
      case 'demo-size':
        return run(m.job, async () => (await demoBytes()).length);
      case 'cancel':
        jobs.get(m.job)?.abort();
        return;
      case 'close':
        return run(m.job, async () => {
          await release(m.bundle);
          return null;
        });
      case 'read':
        return run(m.job, async () => {
          const h = bundles.get(m.bundle);
          if (!h?.verified)
            throw Object.assign(new Error('This bundle is not open here any more; open it again.'), { code: 'bundle-not-open' });
          const bytes = await h.verified.readEntry(m.path, m.maxBytes);
          return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
        });
      case 'verify': {
        const controller = new AbortController();
        jobs.set(m.job, controller);
        await run(m.job, async () => {
          await release(m.bundle);
          const source = m.source.kind === 'demo' ? deps.demoSource(await demoBytes()) : await deps.openFile(m.source.path);
          const held: Held = { source, verified: null };
          bundles.set(m.bundle, held);
          try {
            const options: VerifyOptions = {
              platform: deps.platform,
              trust: m.trust,
              trustStoreName: `app trust store (${m.trust.keys.length} keys)`,
              signal: controller.signal,
              onProgress: throttleProgress(
                (progress) => deps.post({ type: 'progress', job: m.job, progress }),
                deps.progressIntervalMs ?? 50,
                deps.now,
              ),
            };
            if (m.at !== undefined) options.at = new Date(m.at);
            held.verified = await deps.verify(source, options);
            return held.verified.report;
          } catch (e) {
            await release(m.bundle);
            throw e;
          }
        }).finally(() => jobs.delete(m.job));
        return;
      }
      default:
        return;
    }
  }

  return {
    handle,
    held: () => [...bundles.keys()],
    async closeAll() {
      for (const id of [...bundles.keys()]) await release(id);
    },
  };
}
