// What the verifier found, in the PDF: on page 1 the status with the bundle's ids and
// digests and every signer (signatures.ts); on the following pages the findings and the manifest.

import { statusHeadline, statusWord } from '../evb/status';
import type { SummaryContext } from './context';
import { AMBER, GREEN, MUTED, RED, statusColor } from './layout';
import { signaturesBlock } from './signatures';
import { orNR } from './format';

/** The status row, the bundle's ids and digests, and a table of the signatures (page 1). */
export function verificationSection(c: SummaryContext): void {
  const { flow, report, packet, status, z, ml } = c;
  flow.heading('Verification', 9);
  flow.pairs(
    [
      ['Status', `${statusWord(status)} \u2014 ${statusHeadline(report)}`, 'bold', statusColor(status)],
      ['Bundle id', orNR(report.bundleId ?? packet.bundle_id), 'mono'],
      ['.evb SHA-256', orNR(report.fileSha256), 'mono'],
      ['Tagmanifest SHA-256', orNR(report.tagmanifestSha256), 'mono'],
      [status === 'verified' ? 'Verified at' : 'Checked at', `${report.verifiedAt} against ${report.trustStore}`],
    ],
    { labelWidth: 100, size: z(7.5), maxLines: ml(2) },
  );
  if (report.signatures.length === 0) {
    flow.text('No signatures.', { size: z(7.5), color: AMBER, after: 2 });
    return;
  }
  signaturesBlock(c);
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
