// The bundle-verification service, one for both hosts: the web build runs it in a Web
// Worker (renderer/host/verify.worker.ts), Electron in its verification utilityProcess
// (electron/verify-worker.ts). It holds opened bundles by the id its host gave them, opens
// their bytes through the host's `open`, verifies, streams throttled progress, and answers
// entry reads with bytes. Everything it needs from its host comes in VerifyServiceDeps and
// a message port, so it runs (and is tested) anywhere.

import type { ByteSource, Platform, Progress } from '../platform/ports';
import { CodedError, errorCode, errorMessage } from '../platform/errors';
import type { VerificationReport } from '../evb/report';
import type { TrustStore } from '../evb/crypto-types';
import type { PacketCheck, VerifiedBundle, VerifyOptions } from '../evb/verify';
import { FollowingDigest } from './following-digest';
import type { FileHasher } from './following-digest';

/**
 * Where a bundle's bytes are. `file`: a path main chose (Electron); `blob`: a File the page
 * was given (web; `B` is the host's Blob type); `demo`: the built-in demo bundle.
 */
export type SourceSpec<B = never> = { kind: 'file'; path: string } | { kind: 'blob'; blob: B; name: string } | { kind: 'demo' };

/** The demo bundle's display name and size. */
export interface DemoInfo {
  name: string;
  size: number;
}

/** Host -> service. `job` names the call; its replies carry it back. */
export type VerifyServiceRequest<B = never> =
  | { type: 'verify'; job: string; bundle: string; source: SourceSpec<B>; trust: TrustStore; at?: string; trustName?: string }
  | { type: 'cancel'; job: string }
  | { type: 'read'; job: string; bundle: string; path: string; maxBytes?: number }
  | { type: 'file-sha256'; job: string; bundle: string }
  | { type: 'close'; job: string; bundle: string }
  | { type: 'demo'; job: string };

/** What each request's `done` carries. */
export interface VerifyServiceValues {
  verify: VerificationReport;
  read: Uint8Array;
  'file-sha256': string;
  close: null;
  demo: DemoInfo;
}

/** Service -> host: progress of a verify job, then exactly one done or failed per job (none for cancel). */
export type VerifyServiceReply =
  | { type: 'progress'; job: string; progress: Progress }
  | { type: 'done'; job: string; value: VerifyServiceValues[keyof VerifyServiceValues] }
  | { type: 'failed'; job: string; error: { code: string; message: string } };

/** The service's end of the channel to its host (a worker's scope, a utilityProcess's parentPort, a fake in tests). */
export interface VerifyServicePort {
  /** Sends a reply; `transfer` lists buffers the host may take over instead of copying. */
  post(reply: VerifyServiceReply, transfer: ArrayBuffer[]): void;
  /** Registers the one listener for the host's requests (unchecked: the service checks them). */
  listen(onRequest: (message: unknown) => void): void;
}

export interface VerifyServiceDeps<B = never> {
  platform: Platform;
  /** Opens a file or blob source (the demo is the service's own). */
  open(source: Exclude<SourceSpec<B>, { kind: 'demo' }>): Promise<ByteSource>;
  /**
   * True: a source that hashes the whole file on its own (ByteSource.sha256) is hashed after
   * the status, not before it: the report comes with fileSha256 null, and the first
   * `file-sha256` request starts the hash that it and later ones answer
   * (following-digest.ts). The web build sets it; Electron's verifier hashes with Node
   * beside the entry checks, in the report.
   */
  fileSha256AfterStatus?: boolean;
  /** The demo bundle (built once, then kept). */
  buildDemo(): Promise<{ bundle: Uint8Array; bundleId: string }>;
  /** A ByteSource over the demo's bytes, named as this host names it. */
  demoSource(bytes: Uint8Array, bundleId: string): ByteSource;
  verify(source: ByteSource, options: VerifyOptions): Promise<VerifiedBundle>;
  /** The packet check verifyBundle runs (shared/model's checkPacket). */
  checkPacket: PacketCheck;
  /** Milliseconds; for progress throttling. */
  now(): number;
  progressIntervalMs?: number;
}

export interface VerifyService {
  handle(message: unknown): Promise<void>;
  /** Bundles currently held (for tests and shutdown). */
  held(): string[];
  closeAll(): Promise<void>;
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

/**
 * Progress goes to the page at most four times a second. Each report is a frame of the
 * verifying screen (style, paint, raster, composite): at twenty a second those frames took
 * about 1.1 s of CPU while the web build verified the 1 GiB bench bundle on two cores,
 * against 0.4 s at four (bench/web-threads.ts). The bar still moves every quarter second.
 */
const PROGRESS_INTERVAL_MS = 250;

function describe(e: unknown): { code: string; message: string } {
  const name = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
  return { code: errorCode(e) ?? (name === 'CancelledError' ? 'cancelled' : 'error'), message: errorMessage(e) };
}

function isRequest(m: unknown): m is VerifyServiceRequest<unknown> {
  const r = m as { type?: unknown; job?: unknown } | null;
  return typeof r === 'object' && r !== null && typeof r.type === 'string' && typeof r.job === 'string';
}

/** What a job's work returns: the value of its done reply, and buffers to hand over with it. */
type Answer = { value: VerifyServiceValues[keyof VerifyServiceValues]; transfer?: ArrayBuffer[] };

interface Held {
  source: ByteSource;
  verified: VerifiedBundle | null;
  /** Where the whole file's SHA-256 follows the status (deps.fileSha256AfterStatus): its hash, from the first ask on. */
  digest: FollowingDigest | null;
  hashAfter: FileHasher | null;
}

/** Serves verification requests arriving on `port`. */
export function serveVerification<B>(port: VerifyServicePort, deps: VerifyServiceDeps<B>): VerifyService {
  const service = createVerifyService(port, deps);
  port.listen((message) => void service.handle(message));
  return service;
}

/**
 * The service without the listening (a host that dispatches messages itself calls `handle`).
 * Over one screen because it is one closure over the held bundles and running jobs; its
 * parts are the named steps inside (run, read, verify, handle).
 */
export function createVerifyService<B>(port: VerifyServicePort, deps: VerifyServiceDeps<B>): VerifyService {
  const bundles = new Map<string, Held>();
  const jobs = new Map<string, AbortController>();
  let demo: Promise<{ bundle: Uint8Array; bundleId: string }> | null = null;
  const demoBundle = () => {
    demo ??= deps.buildDemo();
    demo.catch(() => (demo = null));
    return demo;
  };

  const release = async (id: string) => {
    const h = bundles.get(id);
    bundles.delete(id);
    h?.digest?.cancel();
    await h?.source.close?.();
  };

  const run = async (job: string, work: () => Promise<Answer>) => {
    try {
      const { value, transfer = [] } = await work();
      port.post({ type: 'done', job, value }, transfer);
    } catch (e) {
      port.post({ type: 'failed', job, error: describe(e) }, []);
    }
  };

  const read = async (m: Extract<VerifyServiceRequest<B>, { type: 'read' }>) => {
    const h = bundles.get(m.bundle);
    if (!h?.verified) throw new CodedError('bundle-not-open', 'This bundle is not open here any more; open it again.');
    const bytes = await h.verified.readEntry(m.path, m.maxBytes);
    // The entry's own buffer (readEntry makes a new one each call) is handed over, not copied:
    // a copy would leave the bytes twice in the renderer (the worker's until its next GC, and
    // the message's serialized form until the page's). A view of a larger buffer is copied first.
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)
      return { value: bytes, transfer: [bytes.buffer as ArrayBuffer] };
    const copy = bytes.slice();
    return { value: copy, transfer: [copy.buffer] };
  };

  const verify = async (m: Extract<VerifyServiceRequest<B>, { type: 'verify' }>, signal: AbortSignal) => {
    await release(m.bundle);
    const source = m.source.kind === 'demo' ? await demoSourceOf() : await deps.open(m.source);
    const hashAfter = deps.fileSha256AfterStatus && source.sha256 ? source.sha256.bind(source) : null;
    const held: Held = { source, verified: null, digest: null, hashAfter };
    bundles.set(m.bundle, held);
    try {
      const options: VerifyOptions = {
        platform: deps.platform,
        trust: m.trust,
        checkPacket: deps.checkPacket,
        trustStoreName: m.trustName ?? `app trust store (${m.trust.keys.length} keys)`,
        signal,
        onProgress: progressOf(m.job),
        hashFile: !hashAfter,
      };
      if (m.at !== undefined) options.at = new Date(m.at);
      held.verified = await deps.verify(source, options);
      return { value: held.verified.report };
    } catch (e) {
      await release(m.bundle);
      throw e;
    }
  };

  /** A job's progress replies, throttled. */
  const progressOf = (job: string) =>
    throttleProgress(
      (progress) => port.post({ type: 'progress', job, progress }, []),
      deps.progressIntervalMs ?? PROGRESS_INTERVAL_MS,
      deps.now,
    );

  /** The whole file's SHA-256: the report's own, or the one following the status, with its progress. */
  const fileSha256 = async (m: Extract<VerifyServiceRequest<B>, { type: 'file-sha256' }>, signal: AbortSignal) => {
    const h = bundles.get(m.bundle);
    if (!h?.verified) throw new CodedError('bundle-not-open', 'This bundle is not open here any more; open it again.');
    const inReport = h.verified.report.fileSha256;
    if (inReport !== null) return { value: inReport };
    if (!h.hashAfter) throw new CodedError('file-sha256-not-computed', "The file's SHA-256 was not computed for this bundle.");
    // Started by the first ask, which the page makes once it shows the status: before, the
    // hash would take the cores from the page's first reads of the bundle.
    const digest = (h.digest ??= new FollowingDigest(h.hashAfter, h.source.size));
    const progress = progressOf(m.job);
    return { value: await digest.wait((done) => progress({ phase: 'file', done, total: digest.total }), signal) };
  };

  /** Runs a cancellable job: a `cancel` request with its job id aborts `signal`. */
  const cancellable = async (job: string, work: (signal: AbortSignal) => Promise<Answer>) => {
    const controller = new AbortController();
    jobs.set(job, controller);
    await run(job, () => work(controller.signal)).finally(() => jobs.delete(job));
  };

  const demoSourceOf = async () => {
    const d = await demoBundle();
    return deps.demoSource(d.bundle, d.bundleId);
  };

  async function handle(message: unknown): Promise<void> {
    if (!isRequest(message)) return;
    const m = message as VerifyServiceRequest<B>;
    switch (m.type) {
      case 'demo':
        return run(m.job, async () => {
          const d = await demoBundle();
          return { value: { name: `${d.bundleId}.evb`, size: d.bundle.length } };
        });
      case 'cancel':
        jobs.get(m.job)?.abort();
        return;
      case 'close':
        return run(m.job, async () => {
          await release(m.bundle);
          return { value: null };
        });
      case 'read':
        return run(m.job, () => read(m));
      case 'verify':
        return cancellable(m.job, (signal) => verify(m, signal));
      case 'file-sha256':
        return cancellable(m.job, (signal) => fileSha256(m, signal));
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
