// Types of the signature and trust layer (spec sections 5 and 6), shared by keys.ts,
// dsse.ts, trust.ts, the verifier and the CLI.

import type { Person, SignatureAlgorithm, SignatureTrust } from './report';
import type { IdentityEntry } from './identity-trust';

/** A parsed public key. */
export interface PublicKeyInfo {
  algorithm: Exclude<SignatureAlgorithm, 'unknown'>;
  /** DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
  /** base64(SHA-256(spki)), the spec's keyid. */
  keyid: string;
  /** hex(SHA-256(spki)), for people. */
  fingerprint: string;
  /** SPKI PEM (normalised), whatever form the key came in. */
  pem: string;
}

/** An in-toto Statement v1 with the EVB predicate (spec section 5). */
export interface EvbStatement {
  _type: 'https://in-toto.io/Statement/v1';
  subject: Array<{ name: string; digest: Record<string, string> }>;
  predicateType: 'https://exhibit.dev/evidence-bundle/v1';
  predicate: {
    bundle_id: string;
    role: string;
    signer: Person;
    signed_at: string;
    comment: string | null;
    [extra: string]: unknown;
  };
  [extra: string]: unknown;
}

/** A signature file from signatures/, parsed but not yet verified. */
export interface ParsedSignatureFile {
  format: 'dsse' | 'sigstore';
  payloadType: string;
  /** The exact payload bytes (base64-decoded). */
  payload: Uint8Array;
  keyid: string;
  /** Raw signature bytes as found (DER or raw for P-256; 64 bytes for Ed25519). */
  sig: Uint8Array;
  /** For a Sigstore bundle with a publicKey hint: the hint. */
  publicKeyHint: string | null;
}

/** Entry of the trust store (spec section 6), with the key parsed. */
export interface TrustEntry {
  keyid: string;
  public_key: string;
  principal: string;
  roles: string[];
  valid_from: string | null;
  valid_until: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
}

export interface TrustStore {
  keys: TrustEntry[];
  /** Keyless identity entries (spec 6); absent: none. */
  identities?: IdentityEntry[];
  /** Sigstore TrustedRoot JSON values (spec 6), checked when the store was parsed; absent or empty: the built-in public-good root. */
  trusted_roots?: unknown[];
}

export interface TrustDecision {
  trust: SignatureTrust;
  detail: string | null;
}
