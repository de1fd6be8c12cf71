// What the UI says about a signature beyond the shared words (shared/evb/signature-words.ts):
// what the mathematics result means, the algorithm, the pill kinds, and who signed.
import type { SignatureAlgorithm, SignatureCheck, SignatureMath, SignatureTrust } from '../../shared/evb/report';

export const MATH_EXPLAIN: Record<SignatureMath, string> = {
  valid: 'The signature was made by this key over exactly these signed bytes.',
  invalid: 'The signature does not match the key and the signed bytes: it was forged or damaged.',
  'not-checked': 'No key was at hand to check the signature with.',
};

export const ALGORITHM_WORDS: Record<SignatureAlgorithm, string> = {
  ed25519: 'Ed25519',
  'ecdsa-p256-sha256': 'ECDSA P-256 with SHA-256',
  unknown: 'unknown algorithm',
};

export function mathKind(m: SignatureMath): string {
  return m === 'valid' ? 'pass' : m === 'invalid' ? 'fail' : 'warn';
}

export function trustKind(t: SignatureTrust): string {
  return t === 'trusted' ? 'pass' : t === 'revoked-key' ? 'fail' : 'warn';
}

/** Who signed, as the verifier knows it: the trust store's principal, else the certificate's identity, else nobody known. */
export function signerName(s: SignatureCheck): { name: string; claimed: boolean } {
  if (s.principal) return { name: s.principal, claimed: false };
  if (s.keyless?.san) return { name: s.keyless.san, claimed: false };
  if (s.signer) return { name: s.signer.name, claimed: true };
  return { name: 'unknown signer', claimed: true };
}
