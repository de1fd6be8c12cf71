// Plain words for what the verifier found about a signature (issue 18 point 4): no
// "mathematics: valid" or "trust: unknown-key" as the only text on any face; the code stays
// as secondary text where a face shows it.
import type { SignatureMath, SignatureTrust } from './report';

export const MATH_WORDS: Record<SignatureMath, string> = {
  valid: 'Signature checks out',
  invalid: 'Signature does not check out',
  'not-checked': 'Signature not checked',
};

export const TRUST_WORDS: Record<SignatureTrust, string> = {
  trusted: 'Trusted key',
  'unknown-key': 'Key not in your trust store',
  'expired-key': 'Key outside its validity dates',
  'revoked-key': 'Key revoked',
  'role-not-allowed': 'Key not allowed to sign in this role',
};
