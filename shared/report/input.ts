// What the PDF gate summary is made from, what it gives back, and how it fails.

import type { Packet } from '../model/packet-types';
import type { VerificationReport } from '../evb/report';
import type { ReplayObservations } from '../model/observations';

/** A reviewer's note on a replay step (runAgentId + sequence, as the Replay tab names it). */
export interface ReviewerNote {
  runAgentId: string;
  sequence: number;
  text: string;
  author?: string | null;
  createdAt: string;
}

export interface SignOff {
  reviewer?: string;
  role?: string;
  decision?: string;
  date?: string;
}

export interface GateSummaryInput {
  packet: Packet;
  report: VerificationReport;
  fonts: {
    regular: Uint8Array;
    bold: Uint8Array;
    /** Digests, key ids and file lists; the regular font when absent. */
    mono?: Uint8Array;
    /** Per-character fallback (CJK, Hangul) where the regular font has no glyph. */
    fallback?: Uint8Array;
  };
  signoff?: SignOff;
  notes?: ReviewerNote[];
  attachments: {
    packetJson: Uint8Array;
    /** False when packetJson is a re-serialization, not the bundle's own bytes (said in the PDF). */
    packetJsonExact?: boolean;
    /** Statement bytes per signature; when absent, report.signatures[].statement is attached. */
    statements?: Array<{ file: string; bytes: Uint8Array }>;
  };
  generatedAt: Date;
  exhibitVersion: string;
  observations?: ReplayObservations | null;
}

export interface GateSummaryResult {
  bytes: Uint8Array;
  pageCount: number;
  /** Characters no embedded font could draw: shown as U+FFFD, counted here. */
  missingGlyphs: number;
  /** The distinct code points behind missingGlyphs, as "U+XXXX". */
  missingCodePoints: string[];
  /** Whether the fallback font had to be embedded. */
  fallbackUsed: boolean;
  /** The names of the embedded files, in order. */
  attachmentNames: string[];
}

type GateSummaryErrorCode = 'pdf-malformed-bundle' | 'pdf-bad-font' | 'pdf-bad-input';

/** An error value: a stable code and a sentence for a person. */
export class GateSummaryError extends Error {
  constructor(
    readonly code: GateSummaryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GateSummaryError';
  }
}
