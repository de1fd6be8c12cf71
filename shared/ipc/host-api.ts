// The one interface between the UI and its host. The renderer knows nothing else about
// where it runs: BrowserHost (web build: File API, Web Worker, downloads) and ElectronHost
// (preload bridge to the main process) both implement it.

import type { Progress } from '../platform/ports';
import type { VerificationReport } from '../evb/report';
import type { TrustStore } from '../evb/crypto-types';

/** An opened bundle, as the renderer sees it: an opaque id plus what to show. */
export interface BundleHandle {
  /** Opaque; chosen by the host. The renderer never learns a file path. */
  id: string;
  /** File name for display (no directories). */
  name: string;
  size: number;
  /**
   * Where the host can open the same file again later without asking the user (Electron:
   * main keeps the path under this opaque token); absent where it cannot.
   */
  reopenToken?: string;
}

export interface VerifyRequest {
  /** The current trust store (the renderer owns it, in Dexie). */
  trust: TrustStore;
  /** Verification time (ISO 8601); now when absent. */
  at?: string;
}

export type Unsubscribe = () => void;

export interface SaveResult {
  /** False when the user cancelled. */
  saved: boolean;
  /** The name the file was saved under (no directories). */
  name: string | null;
}

/**
 * A file the page holds: the DOM's File, declared by the shape the hosts rely on, so this
 * module compiles without DOM types (the browser host reads it, the preload asks Electron
 * for its path).
 */
export interface PageFile {
  readonly name: string;
  readonly size: number;
}

export interface HostApi {
  readonly kind: 'browser' | 'electron';

  /** Asks the user for a bundle (file dialog). Null when cancelled. */
  openBundleDialog(): Promise<BundleHandle | null>;

  /** Registers a File the user dropped or picked in the page. */
  openDroppedFile(file: PageFile): Promise<BundleHandle>;

  /**
   * Opens again a file the host opened before, by the token it gave with that bundle's
   * handle (a recent bundle clicked). Fails when the file is gone or the token unknown.
   */
  reopenRecent(token: string): Promise<BundleHandle>;

  /** The built-in demo bundle (`exhibit demo`). */
  openDemoBundle(): Promise<BundleHandle>;

  /**
   * Bundles the OS or the command line asked to open (file association, argv,
   * second instance, macOS open-file). Fires for ones already pending too.
   */
  onOpenRequest(listener: (bundle: BundleHandle) => void): Unsubscribe;

  /** Verifies an opened bundle with the given trust store; progress per byte; cancellable. */
  verify(
    bundle: BundleHandle,
    request: VerifyRequest,
    onProgress: (p: Progress) => void,
    signal?: AbortSignal,
  ): Promise<VerificationReport>;

  /**
   * The whole file's SHA-256, for a report that came without it (fileSha256 null): the web
   * build computes it after the status, and `onProgress` follows it (phase `file`). Resolves
   * at once with the report's own where the host put it there. `signal` stops waiting; the
   * hash stops when the bundle is closed.
   */
  fileSha256(bundle: BundleHandle, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<string>;

  /**
   * Reads one entry of an opened bundle by its path relative to the bag root
   * (e.g. "data/packet.json"), inflated and checked against its CRC. Fails above maxBytes.
   */
  readEntry(bundle: BundleHandle, path: string, maxBytes?: number): Promise<Uint8Array>;

  /** Forgets an opened bundle and frees what the host holds for it. */
  closeBundle(bundle: BundleHandle): Promise<void>;

  /** Saves bytes the renderer made (the PDF): a download, or the save dialog. */
  saveFile(suggestedName: string, bytes: Uint8Array, mediaType: string): Promise<SaveResult>;
}
