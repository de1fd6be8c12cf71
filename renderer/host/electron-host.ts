// HostApi over the preload bridge (window.exhibitHost). The renderer picks this host when
// the bridge is there and otherwise knows nothing about Electron.

import type { BundleHandle, HostApi, SaveResult, Unsubscribe, VerifyRequest } from '../../shared/ipc/host-api';
import type { ExhibitBridge } from '../../shared/ipc/contract';
import { BRIDGE_GLOBAL } from '../../shared/ipc/contract';
import type { Progress } from '../../shared/platform/ports';
import { CancelledError } from '../../shared/platform/ports';
import { CodedError, errorMessage } from '../../shared/platform/errors';
import type { VerificationReport } from '../../shared/evb/report';

/** The bridge the preload exposed, or null outside Electron. */
export function electronBridge(scope: object = globalThis): ExhibitBridge | null {
  const b = (scope as Record<string, unknown>)[BRIDGE_GLOBAL] as ExhibitBridge | undefined;
  return b && typeof b === 'object' && b.kind === 'electron' ? b : null;
}

let jobCounter = 0;
function newJobId(): string {
  jobCounter += 1;
  const random =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto
      ? crypto.randomUUID().replaceAll('-', '').slice(0, 16)
      : Math.random().toString(36).slice(2, 12);
  return `job${jobCounter}_${random}`;
}

function isCancelled(e: unknown): boolean {
  return /\bcancel/i.test(errorMessage(e));
}

/** Electron's IPC wraps errors as "Error invoking remote method 'x': Error: message"; keep the sentence. */
export function cleanIpcError(e: unknown): Error {
  const message = errorMessage(e);
  const m = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?([\s\S]*)$/.exec(message);
  return new Error(m ? m[1] : message);
}

export class ElectronHost implements HostApi {
  readonly kind = 'electron' as const;

  /** The file SHA-256 of each bundle's last report, by bundle id (for fileSha256). */
  private readonly digests = new Map<string, string>();

  constructor(private readonly bridge: ExhibitBridge) {}

  private async call<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw cleanIpcError(e);
    }
  }

  openBundleDialog(): Promise<BundleHandle | null> {
    return this.call(() => this.bridge.openBundleDialog());
  }

  openDroppedFile(file: File): Promise<BundleHandle> {
    return this.call(() => this.bridge.openDroppedFile(file));
  }

  reopenRecent(token: string): Promise<BundleHandle> {
    return this.call(() => this.bridge.reopenRecent(token));
  }

  openDemoBundle(): Promise<BundleHandle> {
    return this.call(() => this.bridge.openDemoBundle());
  }

  onOpenRequest(listener: (bundle: BundleHandle) => void): Unsubscribe {
    return this.bridge.onOpenRequest(listener);
  }

  async verify(
    bundle: BundleHandle,
    request: VerifyRequest,
    onProgress: (p: Progress) => void,
    signal?: AbortSignal,
  ): Promise<VerificationReport> {
    if (signal?.aborted) throw new CancelledError();
    const jobId = newJobId();
    const onAbort = () => this.bridge.cancelVerify(jobId);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const report = await this.bridge.verify(bundle, request, onProgress, jobId);
      if (report.fileSha256) this.digests.set(bundle.id, report.fileSha256);
      return report;
    } catch (e) {
      if (signal?.aborted || isCancelled(e)) throw new CancelledError();
      throw cleanIpcError(e);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Electron's verifier hashes the file with Node beside the entry checks: the report has it. */
  async fileSha256(bundle: BundleHandle): Promise<string> {
    const digest = this.digests.get(bundle.id);
    if (!digest) throw new CodedError('file-sha256-not-computed', "The file's SHA-256 is not known: verify the bundle first.");
    return digest;
  }

  readEntry(bundle: BundleHandle, path: string, maxBytes?: number): Promise<Uint8Array> {
    return this.call(() => this.bridge.readEntry(bundle, path, maxBytes));
  }

  closeBundle(bundle: BundleHandle): Promise<void> {
    this.digests.delete(bundle.id);
    return this.call(() => this.bridge.closeBundle(bundle));
  }

  saveFile(suggestedName: string, bytes: Uint8Array, mediaType: string): Promise<SaveResult> {
    return this.call(() => this.bridge.saveFile(suggestedName, bytes, mediaType));
  }
}
