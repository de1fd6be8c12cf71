// The signature block of page 1: per signature who signed (the trust store's principal, and
// the signer's own claim marked as a claim), the role, the key (fingerprint and algorithm),
// the mathematics and the trust, and the time: the signer's claimed time marked as a claim,
// and for a keyless (Sigstore) signature the time the transparency log or timestamp
// authority proves, labelled proven. Under the table, each keyless signature's identity as
// its verified certificate states it, and where it is logged (spec 5.1, issue 20 point 4).

import type { KeylessSignatureInfo, SignatureCheck } from '../evb/report';
import type { SummaryContext } from './context';
import type { Cell } from './layout';
import { AMBER, GREEN, MUTED, RED } from './layout';
import { NR, orNR, words } from './format';

const ALGORITHM_WORDS: Readonly<Record<SignatureCheck['algorithm'], string>> = {
  ed25519: 'Ed25519',
  'ecdsa-p256-sha256': 'ECDSA P-256, SHA-256',
  unknown: 'algorithm unknown',
};

const PROVEN_BY: Readonly<Record<NonNullable<KeylessSignatureInfo['provenTimeSource']>, string>> = {
  'transparency-log': 'transparency log',
  'timestamp-authority': 'timestamp authority',
};

/** The same instant, without a zero fraction of a second (the column is narrow). */
const seconds = (t: string): string => t.replace(/\.0+Z$/, 'Z');

function signerCell(s: SignatureCheck): string {
  const principal = s.principal ?? (s.keyless ? 'identity not in the trust store' : 'key not in the trust store');
  const claim = s.signer ? `${s.signer.name}${s.signer.email ? ` <${s.signer.email}>` : ''}` : 'none stated';
  return `${principal}\nclaim: ${claim}`;
}

function timeCell(s: SignatureCheck): string {
  const claimed = s.claimedTime ? `${s.claimedTime} (signer\u2019s claim)` : `claimed time ${NR}`;
  const k = s.keyless;
  if (!k) return claimed;
  const proven = k.provenTime
    ? `${seconds(k.provenTime)}\n(proven by the ${k.provenTimeSource === 'timestamp-authority' ? 'TSA' : 'log'})`
    : 'no proven time';
  return `${claimed}\n${proven}`;
}

function signatureRow(s: SignatureCheck): Cell[] {
  return [
    { text: signerCell(s) },
    { text: orNR(s.role) },
    { text: s.keyFingerprint ?? `no key at hand; keyid ${s.keyid}` },
    {
      text: `${s.math}, ${words(s.trust.replace(/-/g, ' '))}${s.trustDetail && s.trust !== 'trusted' ? `: ${s.trustDetail}` : ''}\n${ALGORITHM_WORDS[s.algorithm]}`,
      color: s.math === 'valid' && s.trust === 'trusted' ? GREEN : s.math === 'invalid' || s.trust === 'revoked-key' ? RED : AMBER,
      style: 'bold',
    },
    { text: timeCell(s) },
  ];
}

/** One sentence per keyless signature: its certificate identity, its log entry, its proven time. */
function keylessLine(s: SignatureCheck, n: number, k: KeylessSignatureInfo): string {
  const gh = k.github;
  const github = gh
    ? `; GitHub repository ${orNR(gh.repository)}, workflow ${orNR(gh.workflow)}, ref ${orNR(gh.ref)}${gh.sha ? `, commit ${gh.sha}` : ''}`
    : '';
  const log = k.log ? `logged in ${k.log.url} as entry ${k.log.logIndex} (${words(k.log.proof.replace(/-/g, ' '))})` : 'no log entry';
  const proven = k.provenTime
    ? `signing time proven by the ${k.provenTimeSource ? PROVEN_BY[k.provenTimeSource] : 'log'}: ${k.provenTime}`
    : 'no proven signing time';
  const failed = k.failedStep ? `; step ${k.failedStep} failed` : '';
  return `Keyless signature ${n} (${s.file}): identity ${orNR(k.san)}${k.sanType ? ` (${k.sanType})` : ''}, issuer ${orNR(k.issuer)}${github}; ${log}; ${proven}${failed}.`;
}

/** The table of the signatures, then the identity of each keyless one. */
export function signaturesBlock({ flow, report, z }: SummaryContext): void {
  flow.table(
    [
      { title: 'Signer; the signer\u2019s claim', share: 3.7 },
      { title: 'Role', share: 0.8 },
      { title: 'Key fingerprint (SHA-256 of SPKI)', share: 3.3, style: 'mono' },
      { title: 'Signature', share: 1.5 },
      { title: 'Time', share: 2 },
    ],
    report.signatures.map(signatureRow),
    { size: z(7), maxLines: 4 }, // full fingerprints at every density
  );
  report.signatures.forEach((s, i) => {
    if (s.keyless) flow.text(keylessLine(s, i + 1, s.keyless), { size: z(6.5), color: MUTED, maxLines: 4, after: 1 });
  });
}
