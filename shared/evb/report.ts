// The VerificationReport: what the verifier decided about a bundle, and every finding
// behind it (spec section 7). The UI, the PDF and the CLI all consume this one type.

export type BundleStatus = 'verified' | 'untrusted-signer' | 'unsigned' | 'key-expired' | 'key-revoked' | 'tampered' | 'malformed';

/** Precedence of spec section 7: when several rows apply, the first wins. */
export const STATUS_PRECEDENCE: readonly BundleStatus[] = [
  'malformed',
  'tampered',
  'key-revoked',
  'verified',
  'key-expired',
  'untrusted-signer',
  'unsigned',
];

/** CLI exit code per status (spec section 7). Usage errors exit 64. */
export const STATUS_EXIT_CODE: Readonly<Record<BundleStatus, number>> = {
  verified: 0,
  'untrusted-signer': 3,
  unsigned: 3,
  'key-expired': 3,
  'key-revoked': 1,
  tampered: 1,
  malformed: 2,
};

export const USAGE_EXIT_CODE = 64;

/** Picks the status that wins among those that apply. */
export function pickStatus(applicable: Iterable<BundleStatus>): BundleStatus {
  const set = new Set(applicable);
  for (const s of STATUS_PRECEDENCE) if (set.has(s)) return s;
  return 'unsigned';
}

/** Which layer of the spec a structural finding belongs to. */
export type FindingLayer = 'container' | 'bag' | 'bundle-id' | 'packet' | 'signature' | 'trust' | 'limit';

/**
 * A structural problem. `code` is stable and machine-readable (tests assert on it);
 * `message` is a sentence for a person that says what is wrong and where.
 */
export interface Finding {
  code: string;
  layer: FindingLayer;
  /** The status this finding forces: malformed or tampered; or null for a warning. */
  severity: 'malformed' | 'tampered' | 'warning';
  message: string;
  /** The zip entry or bag path it concerns, when there is one. */
  entry?: string;
  /** A JSON Pointer (packet) or field name, when there is one. */
  field?: string;
}

export type FileResult = 'ok' | 'mismatch' | 'missing' | 'unlisted' | 'size-mismatch';

/** One file of the bag, with expected and actual digests. */
export interface FileCheck {
  /** Path relative to the bag root, e.g. "data/packet.json". */
  path: string;
  /** Which manifest lists it: "manifest-sha256.txt", "tagmanifest-sha256.txt", or null (unlisted). */
  manifest: string | null;
  expectedSha256: string | null;
  actualSha256: string | null;
  /** SHA-512 when manifest-sha512.txt lists the file. */
  expectedSha512?: string | null;
  actualSha512?: string | null;
  size: number | null;
  result: FileResult;
}

export type SignatureMath = 'valid' | 'invalid' | 'not-checked';
export type SignatureTrust = 'trusted' | 'unknown-key' | 'expired-key' | 'revoked-key' | 'role-not-allowed';
export type SignatureAlgorithm = 'ed25519' | 'ecdsa-p256-sha256' | 'unknown';

export interface Person {
  name: string;
  email: string | null;
}

/** One signature file in signatures/, as checked. */
export interface SignatureCheck {
  /** The file in signatures/, relative to the bag root. */
  file: string;
  format: 'dsse' | 'sigstore';
  keyid: string;
  /** Where the key that checked the mathematics came from. */
  keySource: 'trust-store' | 'travelling' | 'none';
  algorithm: SignatureAlgorithm;
  /** SHA-256 fingerprint (hex) of the SPKI DER of the key used, when a key was at hand. */
  keyFingerprint: string | null;
  /** From the trust store entry, when the key is in it. */
  principal: string | null;
  /** predicate.role of the statement (only from verified payload bytes). */
  role: string | null;
  /** predicate.signer (the signer's claim). */
  signer: Person | null;
  /** predicate.signed_at: the signer's claim, shown as such. */
  claimedTime: string | null;
  comment: string | null;
  math: SignatureMath;
  trust: SignatureTrust;
  /** Why the trust is what it is, for a person ("revoked on 2026-10-01: key leaked"). */
  trustDetail: string | null;
  /** Whether the statement's subject digest and bundle id match the bag. Null if not parsed. */
  statementMatches: boolean | null;
  /** The exact verified statement payload (UTF-8 JSON) for re-checking; null when unverified. */
  statement: string | null;
  /** The travelling public key (SPKI PEM) of this signature, when one came with it. */
  travellingKeyPem: string | null;
}

export interface VerificationReport {
  /** Spec section 7 status. */
  status: BundleStatus;
  /** One sentence that says what the status means for this bundle. */
  summary: string;
  /** The bundle id, once known (from the top-level directory). */
  bundleId: string | null;
  /** SHA-256 (hex) of the whole .evb file. */
  fileSha256: string | null;
  fileName: string | null;
  fileSize: number;
  /** SHA-256 of tagmanifest-sha256.txt, what signatures sign. */
  tagmanifestSha256: string | null;
  /** The verification time (ISO 8601) at which keys were evaluated. */
  verifiedAt: string;
  /** A description of the trust store used ("3 keys from trust.json"). */
  trustStore: string;
  entryCount: number;
  payloadOxum: string | null;
  bagInfo: Record<string, string[]>;
  files: FileCheck[];
  signatures: SignatureCheck[];
  findings: Finding[];
  /** How long verification took, in milliseconds. */
  elapsedMs: number;
  /** Report format version. */
  reportVersion: 1;
}

// What a status means and what a person should do, in one line: the status table's headline.
export { STATUS_EXPLANATION } from './status';
