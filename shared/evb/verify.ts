// verifyBundle: container -> bag -> bundle id -> packet -> signatures -> trust (spec 7).
// INTERFACE STUB: being written; the exported names and types are the contract.

import type { ByteSource, Platform, ProgressListener } from '../platform/ports';
import type { VerificationReport } from './report';
import type { TrustStore } from './crypto-types';
import type { ZipLimits } from './zip';

export interface VerifyOptions {
  platform: Platform;
  /** The trust store to check signatures against (may be empty). */
  trust: TrustStore;
  /** A name for the trust store in the report ("trust.json", "app trust store"). */
  trustStoreName?: string;
  /** Verification time; the platform clock's now when absent. */
  at?: Date;
  limits?: Partial<ZipLimits>;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/** A verified (or rejected) bundle: the report, and lazy access to its entries. */
export interface VerifiedBundle {
  report: VerificationReport;
  /**
   * Reads one entry by its path relative to the bag root ("data/packet.json"), inflated
   * and CRC-checked. Rejects for a malformed container, an unknown path, or above maxBytes
   * (default 64 MiB).
   */
  readEntry(path: string, maxBytes?: number): Promise<Uint8Array>;
  /** Paths of the bag's files (relative to the bag root), in archive order. */
  paths(): string[];
}

export async function verifyBundle(_source: ByteSource, _options: VerifyOptions): Promise<VerifiedBundle> {
  throw new Error('verifyBundle: not implemented yet');
}
