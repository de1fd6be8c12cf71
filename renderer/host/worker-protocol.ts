// Messages between BrowserHost (page) and verify.worker.ts. Plain data only.
import type { Progress } from '../../shared/platform/ports';
import type { VerificationReport } from '../../shared/evb/report';
import type { TrustStore } from '../../shared/evb/crypto-types';

export type WorkerRequest =
  | { kind: 'register'; reqId: number; id: string; file: Blob; name: string }
  | { kind: 'demo'; reqId: number; id: string }
  | { kind: 'verify'; reqId: number; id: string; trust: TrustStore; trustName: string; at?: string }
  | { kind: 'cancel'; reqId: number; target: number }
  | { kind: 'read'; reqId: number; id: string; path: string; maxBytes?: number }
  | { kind: 'close'; reqId: number; id: string };

export type WorkerResponse =
  | { kind: 'progress'; reqId: number; progress: Progress }
  | { kind: 'registered'; reqId: number; name: string; size: number }
  | { kind: 'report'; reqId: number; report: VerificationReport }
  | { kind: 'bytes'; reqId: number; bytes: Uint8Array }
  | { kind: 'done'; reqId: number }
  | { kind: 'error'; reqId: number; code: string; message: string };
