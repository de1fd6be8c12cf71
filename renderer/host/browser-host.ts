// HostApi for the web build: files come from the page (file input, drag and drop), the
// verifier runs in a Web Worker (the shared verification service, verify.worker.ts), and
// saving is a download.
import type { BundleHandle, HostApi, SaveResult, Unsubscribe, VerifyRequest } from '../../shared/ipc/host-api';
import type { Progress } from '../../shared/platform/ports';
import { CancelledError } from '../../shared/platform/ports';
import type { VerificationReport } from '../../shared/evb/report';
import type { DemoInfo, SourceSpec, VerifyServiceReply, VerifyServiceRequest } from '../../shared/ipc/verify-service';

type Request = VerifyServiceRequest<Blob>;
type Distribute<T> = T extends unknown ? Omit<T, 'job'> : never;
type Pending = {
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (p: Progress) => void;
};

class HostError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

export class BrowserHost implements HostApi {
  readonly kind = 'browser' as const;
  private worker: Worker | null = null;
  private nextJob = 1;
  private nextId = 1;
  private pending = new Map<string, Pending>();
  /** What each open bundle's id stands for: a File of the page, or the demo. */
  private sources = new Map<string, SourceSpec<Blob>>();
  private listeners = new Set<(b: BundleHandle) => void>();

  constructor() {
    // The verifier's thread loads its code and WebAssembly while the start screen shows
    // (300 ms here), not after the user has chosen a file.
    if (typeof Worker !== 'undefined') setTimeout(() => this.getWorker(), 0);
  }

  private getWorker(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (event: MessageEvent<VerifyServiceReply>) => this.receive(event.data);
      this.worker.onerror = (event) => {
        const error = new HostError('worker-failed', `The verifier stopped unexpectedly${event.message ? `: ${event.message}` : ''}.`);
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
        this.worker = null;
      };
    }
    return this.worker;
  }

  private receive(reply: VerifyServiceReply): void {
    const p = this.pending.get(reply.job);
    if (!p) return;
    if (reply.type === 'progress') {
      p.onProgress?.(reply.progress);
      return;
    }
    this.pending.delete(reply.job);
    if (reply.type === 'done') p.resolve(reply.value);
    else if (reply.error.code === 'cancelled') p.reject(new CancelledError(reply.error.message));
    else p.reject(new HostError(reply.error.code, reply.error.message));
  }

  private send(message: Request): void {
    this.getWorker().postMessage(message);
  }

  private call<T>(message: Distribute<Request>, onProgress?: (p: Progress) => void, job = this.newJob()): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(job, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.send({ ...message, job } as Request);
    });
  }

  /** A call that `signal` cancels: the service is asked to stop the job, which then fails as cancelled. */
  private async cancellable<T>(message: Distribute<Request>, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new CancelledError();
    const job = this.newJob();
    const onAbort = () => this.send({ type: 'cancel', job });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.call<T>(message, onProgress, job);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private newJob(): string {
    return `j${this.nextJob++}`;
  }

  private newId(): string {
    return `b${this.nextId++}-${Math.random().toString(36).slice(2, 10)}`;
  }

  private source(bundle: BundleHandle): SourceSpec<Blob> {
    const s = this.sources.get(bundle.id);
    if (!s) throw new HostError('bundle-not-open', 'This bundle is no longer open; open the file again.');
    return s;
  }

  openBundleDialog(): Promise<BundleHandle | null> {
    return new Promise((resolve) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = '.evb,application/vnd.exhibit.evidence-bundle+zip,application/zip';
      input.addEventListener('change', () => {
        const file = input.files?.[0];
        resolve(file ? this.openDroppedFile(file) : null);
      });
      input.addEventListener('cancel', () => resolve(null));
      input.click();
    });
  }

  async openDroppedFile(file: File): Promise<BundleHandle> {
    const id = this.newId();
    const name = file.name.split(/[\\/]/).pop() || 'bundle.evb';
    this.sources.set(id, { kind: 'blob', blob: file, name });
    return { id, name, size: file.size };
  }

  async openDemoBundle(): Promise<BundleHandle> {
    const demo = await this.call<DemoInfo>({ type: 'demo' });
    const id = this.newId();
    this.sources.set(id, { kind: 'demo' });
    return { id, name: demo.name, size: demo.size };
  }

  /** A page cannot open a file by itself: its recent rows reopen through kept file handles (recent-open.ts). */
  reopenRecent(): Promise<BundleHandle> {
    return Promise.reject(new HostError('no-reopen', 'The web build gives no reopen tokens: open the file again.'));
  }

  onOpenRequest(listener: (bundle: BundleHandle) => void): Unsubscribe {
    // A web page has no OS open requests; the listener is kept for symmetry.
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async verify(
    bundle: BundleHandle,
    request: VerifyRequest,
    onProgress: (p: Progress) => void,
    signal?: AbortSignal,
  ): Promise<VerificationReport> {
    const source = this.source(bundle);
    const trustName = `${request.trust.keys.length} key${request.trust.keys.length === 1 ? '' : 's'} in this app's trust store`;
    const message: Distribute<Request> = { type: 'verify', bundle: bundle.id, source, trust: request.trust, trustName };
    if (request.at !== undefined) message.at = request.at;
    return this.cancellable<VerificationReport>(message, onProgress, signal);
  }

  fileSha256(bundle: BundleHandle, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<string> {
    return this.cancellable<string>({ type: 'file-sha256', bundle: bundle.id }, onProgress, signal);
  }

  readEntry(bundle: BundleHandle, path: string, maxBytes?: number): Promise<Uint8Array> {
    const message: Distribute<Request> = { type: 'read', bundle: bundle.id, path };
    if (maxBytes !== undefined) message.maxBytes = maxBytes;
    return this.call<Uint8Array>(message);
  }

  async closeBundle(bundle: BundleHandle): Promise<void> {
    if (!this.sources.delete(bundle.id)) return;
    await this.call<null>({ type: 'close', bundle: bundle.id });
  }

  async saveFile(suggestedName: string, bytes: Uint8Array, mediaType: string): Promise<SaveResult> {
    const name = suggestedName.split(/[\\/]/).pop() || 'download';
    const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mediaType }));
    try {
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.rel = 'noopener';
      document.body.appendChild(a);
      a.click();
      a.remove();
    } finally {
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }
    return { saved: true, name };
  }
}
