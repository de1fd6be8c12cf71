// What the verifier found, in the PDF: on page 1 the status with the bundle's ids and
// digests and every signer; on the following pages the findings and the manifest.

import type { SignatureCheck } from '../evb/report';
import { STATUS_TABLE, statusWord } from '../evb/status';
import type { SummaryContext } from './context';
import type { Cell } from './layout';
import { AMBER, GREEN, MUTED, RED, statusColor } from './layout';
import { NR, orNR, words } from './format';

/** The status row, the bundle's ids and digests, and a table of the signatures (page 1). */
export function verificationSection({ flow, report, packet, status, z, ml }: SummaryContext): void {
  flow.heading('Verification', 9);
  flow.pairs(
    [
      ['Status', `${statusWord(status)} \u2014 ${STATUS_TABLE[status].headline}`, 'bold', statusColor(status)],
      ['Bundle id', orNR(report.bundleId ?? packet.bundle_id), 'mono'],
      ['.evb SHA-256', orNR(report.fileSha256), 'mono'],
      ['Tagmanifest SHA-256', orNR(report.tagmanifestSha256), 'mono'],
      ['Verified at', `${report.verifiedAt} against ${report.trustStore}`],
    ],
    { labelWidth: 100, size: z(7.5), maxLines: ml(2) },
  );
  if (report.signatures.length === 0) {
    flow.text('No signatures.', { size: z(7.5), color: AMBER, after: 2 });
    return;
  }
  flow.table(
    [
      { title: 'Signer (principal in the trust store)', share: 3.6 },
      { title: 'Role', share: 0.8 },
      { title: 'Key fingerprint (SHA-256 of SPKI)', share: 3.3, style: 'mono' },
      { title: 'Signature, trust', share: 1.5 },
      { title: 'Claimed time', share: 2 },
    ],
    report.signatures.map(signatureRow),
    { size: z(7), maxLines: 3 }, // full fingerprints at every density
  );
}

function signatureRow(s: SignatureCheck): Cell[] {
  return [
    {
      text: `${s.signer ? s.signer.name : 'signer not stated'}${s.principal ? ` (${s.principal})` : ' (key not in the trust store)'}${s.signer?.email ? `\n${s.signer.email}` : ''}`,
    },
    { text: orNR(s.role) },
    { text: s.keyFingerprint ?? `no key at hand; keyid ${s.keyid}` },
    {
      text: `${s.math}, ${words(s.trust.replace(/-/g, ' '))}${s.trustDetail && s.trust !== 'trusted' ? `: ${s.trustDetail}` : ''}`,
      color: s.math === 'valid' && s.trust === 'trusted' ? GREEN : s.math === 'invalid' || s.trust === 'revoked-key' ? RED : AMBER,
      style: 'bold',
    },
    { text: s.claimedTime ? `${s.claimedTime} (signer\u2019s claim)` : NR },
  ];
}

/** Every structural finding, when there are any. */
export function findingsSection({ flow, report }: SummaryContext): void {
  const problems = report.findings;
  if (!problems.length) return;
  flow.heading('Findings of the verification');
  flow.table(
    [
      { title: 'Severity', share: 1.2 },
      { title: 'Code', share: 2 },
      { title: 'Finding', share: 6 },
    ],
    problems.map((f) => [
      { text: f.severity, color: f.severity === 'warning' ? AMBER : RED, style: 'bold' },
      { text: f.code, style: 'mono' },
      { text: `${f.message}${f.entry ? ` (${f.entry})` : ''}` },
    ]),
    { size: 7.5, maxLines: 6 },
  );
}

/** Every file of the bag with its size, its digest as computed, and whether it is as listed. */
export function manifestSection({ flow, report }: SummaryContext): void {
  flow.heading('Files reviewed (the manifest)');
  flow.text(
    `${report.files.length} files; ${report.files.filter((f) => f.result !== 'ok').length} not as listed. Payload-Oxum ${orNR(report.payloadOxum)}. SHA-256 as computed from the bytes read.`,
    { size: 7.5, color: MUTED, after: 2 },
  );
  flow.table(
    [
      { title: 'Path', share: 3.7 },
      { title: 'Bytes', share: 0.9, align: 'right' },
      { title: 'SHA-256', share: 5.9, style: 'mono' },
      { title: 'Result', share: 0.9 },
    ],
    report.files.map((f) => [
      { text: f.path, style: 'mono' },
      { text: f.size === null ? '' : String(f.size) },
      { text: f.actualSha256 ?? `expected ${orNR(f.expectedSha256)}` },
      { text: f.result, color: f.result === 'ok' ? GREEN : RED, style: 'bold' },
    ]),
    { size: 6.5, maxLines: 12 }, // paths whole (a hostile one is cut; the attached report has it all)
  );
}
