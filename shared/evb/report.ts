// The VerificationReport: what the verifier decided about a bundle, and every finding
// behind it (spec section 7). The UI, the PDF and the CLI all consume this one type.

import type { EntryErrorCode } from '../platform/ports';
import type { KeylessFindingCode } from './sigstore/errors';

export type BundleStatus = 'verified' | 'untrusted-signer' | 'unsigned' | 'key-expired' | 'key-revoked' | 'tampered' | 'malformed';

/** Precedence of spec section 7: when several rows apply, the first wins. */
const STATUS_PRECEDENCE: readonly BundleStatus[] = [
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

/** Codes of the container layer (spec section 1): the zip reader's table in zip.ts, and entry reads. */
export type ContainerFindingCode =
  | 'container-top-level'
  | EntryErrorCode
  | 'zip-cd-bounds'
  | 'zip-cd-overflow'
  | 'zip-cd-signature'
  | 'zip-descriptor'
  | 'zip-directory-size'
  | 'zip-encrypted'
  | 'zip-entry-bounds'
  | 'zip-entry-count'
  | 'zip-eocd-comment-length'
  | 'zip-eocd64'
  | 'zip-extra-duplicate'
  | 'zip-extra-malformed'
  | 'zip-flags'
  | 'zip-gap'
  | 'zip-local-mismatch'
  | 'zip-local-name'
  | 'zip-local-signature'
  | 'zip-method'
  | 'zip-multidisk'
  | 'zip-multiple-eocd'
  | 'zip-name-absolute'
  | 'zip-name-backslash'
  | 'zip-name-conflict'
  | 'zip-name-control'
  | 'zip-name-duplicate'
  | 'zip-name-encoding'
  | 'zip-name-not-nfc'
  | 'zip-name-segment'
  | 'zip-name-windows'
  | 'zip-no-eocd'
  | 'zip-overlap'
  | 'zip-prefix-bytes'
  | 'zip-stored-size'
  | 'zip-symlink'
  | 'zip-too-many-findings'
  | 'zip-too-short'
  | 'zip-unicode-extra'
  | 'zip-version'
  | 'zip-zip64-extra';

/** Codes of the size limits (limits.ts). */
export type LimitFindingCode =
  'limit-central-directory' | 'limit-entries' | 'limit-entry-size' | 'limit-file' | 'limit-tag-file' | 'limit-total-size';

/** Codes of the BagIt layer (spec section 2). */
export type BagFindingCode =
  | 'bag-digest-mismatch'
  | 'bag-encoding'
  | 'bag-fetch-txt'
  | 'bag-info-bad-date'
  | 'bag-info-bad-oxum'
  | 'bag-info-missing-label'
  | 'bag-info-repeated-label'
  | 'bag-manifest-digest'
  | 'bag-manifest-duplicate'
  | 'bag-manifest-path'
  | 'bag-manifest-scope'
  | 'bag-manifest-syntax'
  | 'bag-missing-file'
  | 'bag-payload-oxum-mismatch'
  | 'bag-required-file-missing'
  | 'bag-tag-bom'
  | 'bag-tag-encoding'
  | 'bag-tag-syntax'
  | 'bag-tagmanifest-incomplete'
  | 'bag-unlisted-file'
  | 'bag-version';

/** Codes of the bundle id's agreement (spec section 3). */
export type BundleIdFindingCode = 'bundle-id-syntax' | 'bundle-id-mismatch';

/** Codes of the approval packet (spec section 4.1), found by the packet check shared/model supplies. */
export type PacketFindingCode =
  | 'packet-bad-path'
  | 'packet-duplicate-key'
  | 'packet-invalid-field'
  | 'packet-missing-field'
  | 'packet-not-json'
  | 'packet-not-object'
  | 'packet-not-utf8'
  | 'packet-too-deep'
  | 'packet-too-large'
  | 'packet-too-many-findings';

/** Codes of the signature files and their statements (spec section 5). */
export type SignatureFindingCode =
  | 'signature-bad-key-file'
  | 'signature-invalid'
  | 'signature-nested'
  | 'signature-not-json'
  | 'signature-subject-mismatch'
  | 'signature-too-large'
  | 'signature-travelling-key-mismatch'
  | 'signature-unknown-file'
  | 'signature-unknown-kind'
  | 'signature-unparseable'
  | 'sigstore-certificate'
  | 'sigstore-field'
  | 'sigstore-media-type'
  | 'statement-invalid'
  | 'statement-not-json'
  | 'statement-unparseable'
  | 'envelope-base64'
  | 'envelope-field'
  | 'envelope-payload-type'
  | 'envelope-signature-count'
  | KeylessFindingCode;

/** Every finding code, layer by layer. */
export type FindingCode =
  ContainerFindingCode | LimitFindingCode | BagFindingCode | BundleIdFindingCode | PacketFindingCode | SignatureFindingCode;

/**
 * A structural problem. `code` is stable and machine-readable (tests assert on it);
 * `message` is a sentence for a person that says what is wrong and where.
 */
export interface Finding {
  code: FindingCode;
  layer: FindingLayer;
  /** The status this finding forces: malformed or tampered; or null for a warning. */
  severity: 'malformed' | 'tampered' | 'warning';
  message: string;
  /** The zip entry or bag path it concerns, when there is one. */
  entry?: string;
  /** A JSON Pointer (packet) or field name, when there is one. */
  field?: string;
}

/**
 * 'manifest-not-intact': the file agrees with a payload manifest that itself did not match
 * tagmanifest-sha256.txt (spec 7: only bytes that matched are judged), so it is not shown to
 * match anything signed.
 */
export type FileResult = 'ok' | 'mismatch' | 'missing' | 'unlisted' | 'size-mismatch' | 'manifest-not-intact';

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
  /** Where the key that checked the mathematics came from ('certificate': a keyless signature's leaf, spec 5.1). */
  keySource: 'trust-store' | 'travelling' | 'certificate' | 'none';
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
  /** For a keyless (Sigstore certificate) signature: who, where logged, and when (proven). */
  keyless?: KeylessSignatureInfo;
}

/** What a keyless signature (spec 5.1) showed; identity fields come from a verified certificate only. */
export interface KeylessSignatureInfo {
  /** The certificate's subject alternative name (a CI workflow URI, an e-mail). */
  san: string | null;
  sanType: 'uri' | 'email' | 'dns' | 'other' | null;
  /** The OIDC issuer in the certificate. */
  issuer: string | null;
  /** GitHub Actions claims from the certificate's extensions. */
  github: { repository: string | null; workflow: string | null; ref: string | null; sha: string | null; trigger: string | null } | null;
  /** The transparency log and the entry's index in it. */
  log: { url: string; logIndex: string; proof: 'inclusion-proof' | 'signed-entry-timestamp' } | null;
  /** The signing time proven by the log's signed timestamp or an RFC 3161 authority (not the signer's claim). */
  provenTime: string | null;
  provenTimeSource: 'transparency-log' | 'timestamp-authority' | null;
  /** The certificate authority and trusted root the chain ended in. */
  certificateAuthority: string | null;
  trustedRoot: string | null;
  /** The 5.1 step that failed, when one did. */
  failedStep: string | null;
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
