// HostApi for the web build: files come from the page (file input, drag and drop), the
// verifier runs in a Web Worker, and saving is a download.
import type { BundleHandle, HostApi, SaveResult, Unsubscribe, VerifyRequest } from '../../shared/ipc/host-api';
import type { Progress } from '../../shared/platform/ports';
import { CancelledError } from '../../shared/platform/ports';
import type { VerificationReport } from '../../shared/evb/report';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

type Distribute<T> = T extends unknown ? Omit<T, 'reqId'> : never;
type Pending = {
  resolve: (r: WorkerResponse) => void;
  reject: (e: Error) => void;
  onProgress?: (p: Progress) => void;
};

export class HostError extends Error {
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
  private nextReq = 1;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners = new Set<(b: BundleHandle) => void>();

  private getWorker(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => this.receive(event.data);
      this.worker.onerror = (event) => {
        const error = new HostError('worker-failed', `The verifier stopped unexpectedly${event.message ? `: ${event.message}` : ''}.`);
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
        this.worker = null;
      };
    }
    return this.worker;
  }

  private receive(msg: WorkerResponse): void {
    const p = this.pending.get(msg.reqId);
    if (!p) return;
    if (msg.kind === 'progress') {
      p.onProgress?.(msg.progress);
      return;
    }
    this.pending.delete(msg.reqId);
    if (msg.kind === 'error') p.reject(msg.code === 'cancelled' ? new CancelledError(msg.message) : new HostError(msg.code, msg.message));
    else p.resolve(msg);
  }

  private call(msg: Distribute<WorkerRequest>, onProgress?: (p: Progress) => void, reqId = this.nextReq++): Promise<WorkerResponse> {
    return new Promise((resolve, reject) => {
      this.pending.set(reqId, { resolve, reject, onProgress });
      this.getWorker().postMessage({ ...msg, reqId } as WorkerRequest);
    });
  }

  private newId(): string {
    return `b${this.nextId++}-${Math.random().toString(36).slice(2, 10)}`;
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
    const r = await this.call({ kind: 'register', id, file, name });
    if (r.kind !== 'registered') throw new HostError('protocol', 'Unexpected answer from the verifier.');
    return { id, name: r.name, size: r.size };
  }

  async openDemoBundle(): Promise<BundleHandle> {
    const id = this.newId();
    const r = await this.call({ kind: 'demo', id });
    if (r.kind !== 'registered') throw new HostError('protocol', 'Unexpected answer from the verifier.');
    return { id, name: r.name, size: r.size };
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
    if (signal?.aborted) throw new CancelledError();
    const reqId = this.nextReq++;
    const onAbort = () => {
      void this.call({ kind: 'cancel', target: reqId });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const trustName = `${request.trust.keys.length} key${request.trust.keys.length === 1 ? '' : 's'} in this app's trust store`;
      const r = await this.call({ kind: 'verify', id: bundle.id, trust: request.trust, trustName, at: request.at }, onProgress, reqId);
      if (r.kind !== 'report') throw new HostError('protocol', 'Unexpected answer from the verifier.');
      return r.report;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async readEntry(bundle: BundleHandle, path: string, maxBytes?: number): Promise<Uint8Array> {
    const r = await this.call({ kind: 'read', id: bundle.id, path, maxBytes });
    if (r.kind !== 'bytes') throw new HostError('protocol', 'Unexpected answer from the verifier.');
    return r.bytes;
  }

  async closeBundle(bundle: BundleHandle): Promise<void> {
    await this.call({ kind: 'close', id: bundle.id });
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
