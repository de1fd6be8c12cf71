// Human output of a VerificationReport for a terminal.
import type { KeylessSignatureInfo, VerificationReport } from '../shared/evb/report';
import type { StatusTone } from '../shared/evb/status';
import { STATUS_TABLE, statusHeadline, statusWord } from '../shared/evb/status';

/** SGR colour per status tone: green, yellow (amber), red. */
const TONE_SGR: Readonly<Record<StatusTone, string>> = { ok: '32', warn: '33', bad: '31' };

/** Keeps bundle text on one line and free of terminal control sequences. */
export function safe(text: string, max = 300): string {
  // \p{Cc} is exactly U+0000-U+001F and U+007F-U+009F; then the line and paragraph
  // separators and the bidi embeddings, overrides and isolates.
  const clean = text.replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Identity, log entry and proven time of a keyless signature (values from a verified certificate and log only). */
function keylessLines(k: KeylessSignatureInfo): string[] {
  const out: string[] = [];
  if (k.san) out.push(`      identity ${safe(k.san)}  issuer ${safe(k.issuer ?? '(none)')}`);
  const g = k.github;
  if (g) out.push(`      github   repository ${safe(g.repository ?? '?')}  workflow ${safe(g.workflow ?? '?')}  ref ${safe(g.ref ?? '?')}`);
  if (k.log) out.push(`      log      ${safe(k.log.url)} entry ${safe(k.log.logIndex)} (${k.log.proof})`);
  if (k.provenTime)
    out.push(
      `      signed at ${k.provenTime} (proven by the ${k.provenTimeSource === 'timestamp-authority' ? 'timestamp authority' : 'transparency log'})`,
    );
  if (k.failedStep) out.push(`      keyless check stopped at: ${k.failedStep}`);
  return out;
}

export function formatReport(r: VerificationReport, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const out: string[] = [];
  const status = STATUS_TABLE[r.status];
  out.push(`${paint(`1;${TONE_SGR[status.tone]}`, statusWord(r.status))}  ${safe(r.fileName ?? '')}`);
  out.push(`  ${safe(r.summary, 600)}`);
  if (r.status !== 'verified') out.push(`  ${statusHeadline(r)}`);
  out.push('');
  out.push(`  bundle id    ${r.bundleId ? safe(r.bundleId) : '(unknown)'}`);
  out.push(`  file sha256  ${r.fileSha256 ?? '(not computed)'}`);
  if (r.tagmanifestSha256) out.push(`  tagmanifest  ${r.tagmanifestSha256}`);
  const ok = r.files.filter((f) => f.result === 'ok').length;
  out.push(`  files        ${ok} of ${r.files.length} match their digests`);
  out.push(`  checked at   ${r.verifiedAt} against ${safe(r.trustStore)}`);
  if (r.signatures.length) {
    out.push('', '  signatures');
    for (const s of r.signatures) {
      const who = s.principal ? safe(s.principal) : s.signer ? `${safe(s.signer.name)} (claimed)` : 'unknown signer';
      out.push(`    ${safe(s.file)}`);
      out.push(
        `      ${who}${s.role ? `, role ${safe(s.role)}` : ''}${s.claimedTime ? `, signed at ${safe(s.claimedTime)} (signer's claim)` : ''}`,
      );
      out.push(`      keyid ${safe(s.keyid)}  ${s.algorithm}  key from ${s.keySource}`);
      if (s.keyless) out.push(...keylessLines(s.keyless));
      out.push(`      mathematics ${s.math}, trust ${s.trust}${s.trustDetail ? `: ${safe(s.trustDetail)}` : ''}`);
    }
  }
  const problems = r.findings;
  if (problems.length) {
    out.push('', '  findings');
    for (const f of problems.slice(0, 50)) out.push(`    [${f.severity}] ${f.code}: ${safe(f.message, 400)}`);
    if (problems.length > 50) out.push(`    … and ${problems.length - 50} more (use --json for all)`);
  }
  return `${out.join('\n')}\n`;
}
