// The packet's named approvers against the bundle's actual signers (issue 18 point 2). One
// rule for the signature panel, the Compliance slice, the checklist and the PDF:
// - a named approver with no signature whose mathematics checked is flagged "did not sign";
// - one whose matching signature is by a key the trust store does not trust is flagged
//   "signed, not trusted", saying why: not in the store (the name is only the signer's own
//   claim), revoked, outside its validity dates, or not allowed in that role;
// - a signer with a role other than "producer" whom the packet does not name (among the
//   approvers, the release owner or the rollback owner) is flagged "not named".
// Matching: e-mail first (case-insensitive; the signer's claimed e-mail, a keyless
// certificate's e-mail SAN, an e-mail inside the trust principal), else the name with case,
// spacing and a trailing "(...)" note ignored. Pure; signatures with bad mathematics are not
// signatures of anyone and are ignored here (the panel shows them).

import type { KeylessSignatureInfo, SignatureMath, SignatureTrust } from '../evb/report';
import type { Person } from './packet-types';

/** The parts of a SignatureCheck (or a SignerRow) the comparison reads. */
export interface SignatureIdentity {
  file: string;
  role: string | null;
  signer: Person | null;
  principal: string | null;
  math: SignatureMath;
  trust: SignatureTrust;
  keyless?: KeylessSignatureInfo;
}

export type ApproverState = 'signed' | 'signed-untrusted' | 'not-signed';

export interface ApproverMatch {
  approver: Person & { role: string };
  /** Index in packet.owners.approvers (for the JSON Pointer /owners/approvers/<i>). */
  index: number;
  state: ApproverState;
  /** Signature files that match this approver (valid mathematics only). */
  files: string[];
}

export interface UnnamedSigner {
  file: string;
  role: string | null;
  /** Who signed: the trust principal when trusted, else the signer's claim (marked by `claimed`). */
  name: string;
  claimed: boolean;
}

export interface ApproversCheck {
  approvers: ApproverMatch[];
  unnamedSigners: UnnamedSigner[];
  /** One sentence per problem, for lists and the PDF. Empty when all agree. */
  problems: string[];
  flagged: boolean;
}

const EMAIL = /[^\s<>()@]+@[^\s<>()@]+\.[^\s<>()@]+/;

function normName(s: string): string {
  return s
    .replace(/\s*\([^)]*\)\s*$/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

function emailsOf(s: SignatureIdentity): string[] {
  const out: string[] = [];
  if (s.signer?.email) out.push(s.signer.email);
  if (s.keyless?.sanType === 'email' && s.keyless.san) out.push(s.keyless.san);
  const inPrincipal = s.principal?.match(EMAIL)?.[0];
  if (inPrincipal) out.push(inPrincipal);
  return out.map((e) => e.toLowerCase());
}

function namesOf(s: SignatureIdentity): string[] {
  return [s.signer?.name, s.principal].filter((n): n is string => typeof n === 'string' && n.trim() !== '').map(normName);
}

function matches(p: Person, s: SignatureIdentity): boolean {
  if (p.email && emailsOf(s).includes(p.email.toLowerCase())) return true;
  return p.name.trim() !== '' && namesOf(s).includes(normName(p.name));
}

function displayName(s: SignatureIdentity): { name: string; claimed: boolean } {
  if (s.trust === 'trusted' && s.principal) return { name: s.principal, claimed: false };
  if (s.signer) return { name: s.signer.name, claimed: true };
  if (s.keyless?.san) return { name: s.keyless.san, claimed: false };
  return { name: s.principal ?? 'an unnamed signer', claimed: s.principal === null };
}

/** Why an approver's own signature did not count, from the trust of the signatures that match them. */
function untrustedReason(sigs: readonly SignatureIdentity[]): string {
  const trust = new Set(sigs.map((s) => s.trust));
  if (trust.has('revoked-key')) return 'signed with a key your trust store has revoked.';
  if (trust.has('expired-key')) return 'signed with a key outside its validity dates in your trust store.';
  if (trust.has('role-not-allowed')) return 'signed with a trusted key that your trust store does not allow in that role.';
  return "signed with a key the trust store does not trust; the name is the signer's claim.";
}

/** Compare the packet's named approvers (and owners) with the signatures the verifier checked. */
export function compareApproversWithSigners(
  owners: { approvers: Array<Person & { role: string }>; release_owner?: Person | null; rollback_owner?: Person | null },
  signatures: readonly SignatureIdentity[],
): ApproversCheck {
  const valid = signatures.filter((s) => s.math === 'valid');
  const approvers: ApproverMatch[] = owners.approvers.map((approver, index) => {
    const mine = valid.filter((s) => matches(approver, s));
    const state: ApproverState = mine.some((s) => s.trust === 'trusted') ? 'signed' : mine.length ? 'signed-untrusted' : 'not-signed';
    return { approver, index, state, files: mine.map((s) => s.file) };
  });
  const named: Person[] = [...owners.approvers, owners.release_owner, owners.rollback_owner].filter((p): p is Person => !!p);
  const unnamedSigners: UnnamedSigner[] = valid
    .filter((s) => s.role !== 'producer' && !named.some((p) => matches(p, s)))
    .map((s) => ({ file: s.file, role: s.role, ...displayName(s) }));
  const problems = [
    ...approvers
      .filter((a) => a.state !== 'signed')
      .map((a) =>
        a.state === 'not-signed'
          ? `${a.approver.name} (${a.approver.role}) is named as an approver but did not sign.`
          : `${a.approver.name} (${a.approver.role}) ${untrustedReason(valid.filter((s) => a.files.includes(s.file)))}`,
      ),
    ...unnamedSigners.map(
      (u) => `${u.claimed ? `"${u.name}" (the signer's claim)` : u.name} signed as ${u.role ?? 'no role'} but is not named in the packet.`,
    ),
  ];
  return { approvers, unnamedSigners, problems, flagged: problems.length > 0 };
}
