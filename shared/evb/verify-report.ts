// The report verifyBundle builds as it goes: findings, file and signature checks, and the
// status of spec section 7 decided from them at the end, with its one-line summary.

import type { ByteSource } from '../platform/ports';
import type { BagInfo } from './bag';
import type { BundleStatus, FileCheck, Finding, FindingCode, SignatureCheck, VerificationReport } from './report';
import { STATUS_EXPLANATION, pickStatus } from './report';

/** A finding, with its entry and field when it has them. */
/** A signature's record before anything about it is checked: every field "not yet". */
export function uncheckedSignature(
  file: string,
  known: Pick<SignatureCheck, 'format' | 'keyid' | 'keySource' | 'travellingKeyPem'>,
): SignatureCheck {
  return {
    file,
    format: known.format,
    keyid: known.keyid,
    keySource: known.keySource,
    algorithm: 'unknown',
    keyFingerprint: null,
    principal: null,
    role: null,
    signer: null,
    claimedTime: null,
    comment: null,
    math: 'not-checked',
    trust: 'unknown-key',
    trustDetail: null,
    statementMatches: null,
    statement: null,
    travellingKeyPem: known.travellingKeyPem,
  };
}

export function finding(
  code: FindingCode,
  layer: Finding['layer'],
  severity: Finding['severity'],
  message: string,
  entry?: string,
  field?: string,
): Finding {
  const f: Finding = { code, layer, severity, message };
  if (entry !== undefined) f.entry = entry;
  if (field !== undefined) f.field = field;
  return f;
}

/** What signed: a key, or (spec 5.1) a keyless identity's certificate. */
function keyOrIdentity(s: SignatureCheck | undefined): 'key' | 'identity' {
  return s?.keySource === 'certificate' ? 'identity' : 'key';
}

export class ReportBuilder {
  readonly findings: Finding[] = [];
  readonly files: FileCheck[] = [];
  readonly signatures: SignatureCheck[] = [];
  bundleId: string | null = null;
  tagmanifestSha256: string | null = null;
  fileSha256: string | null = null;
  entryCount = 0;
  bagInfo: BagInfo | null = null;

  constructor(
    private readonly source: ByteSource,
    private readonly at: Date,
    private readonly trustStoreName: string,
    private readonly startedAt: number,
    private readonly now: () => number,
  ) {}

  add(f: Finding): void {
    this.findings.push(f);
  }

  has(severity: Finding['severity']): boolean {
    return this.findings.some((f) => f.severity === severity);
  }

  /** Every status whose row of spec section 7 applies; pickStatus takes the first by precedence. */
  private applicable(): BundleStatus[] {
    const applicable: BundleStatus[] = [];
    if (this.has('malformed')) applicable.push('malformed');
    if (this.has('tampered')) applicable.push('tampered');
    const verifying = this.signatures.filter((s) => s.math === 'valid' && s.statementMatches === true);
    if (verifying.some((s) => s.trust === 'revoked-key')) applicable.push('key-revoked');
    if (verifying.some((s) => s.trust === 'trusted')) applicable.push('verified');
    if (verifying.some((s) => s.trust === 'expired-key')) applicable.push('key-expired');
    if (this.signatures.length > 0) applicable.push('untrusted-signer');
    applicable.push('unsigned');
    return applicable;
  }

  build(): VerificationReport {
    const status = pickStatus(this.applicable());
    const bagInfo: Record<string, string[]> = {};
    for (const [k, v] of this.bagInfo?.labels ?? []) bagInfo[k] = v;
    return {
      status,
      summary: this.summarize(status),
      bundleId: this.bundleId,
      fileSha256: this.fileSha256,
      fileName: this.source.name ?? null,
      fileSize: this.source.size,
      tagmanifestSha256: this.tagmanifestSha256,
      verifiedAt: this.at.toISOString(),
      trustStore: this.trustStoreName,
      entryCount: this.entryCount,
      payloadOxum: this.bagInfo?.payloadOxumText ?? null,
      bagInfo,
      files: this.files,
      signatures: this.signatures,
      findings: this.findings,
      elapsedMs: Math.max(0, Math.round(this.now() - this.startedAt)),
      reportVersion: 1,
    };
  }

  private summarize(status: BundleStatus): string {
    const first = (severity: Finding['severity']) => this.findings.find((f) => f.severity === severity)?.message;
    const count = this.files.filter((f) => f.result === 'ok').length;
    const signerOf = (s: SignatureCheck) => `${s.principal ?? s.signer?.name ?? 'an unknown signer'}${s.role ? ` (${s.role})` : ''}`;
    switch (status) {
      case 'malformed':
        return `Malformed: ${first('malformed') ?? STATUS_EXPLANATION.malformed}`;
      case 'tampered':
        return `Tampered: ${first('tampered') ?? STATUS_EXPLANATION.tampered}`;
      case 'key-revoked': {
        const s = this.signatures.find((x) => x.trust === 'revoked-key' && x.math === 'valid');
        return `Key revoked: signed by ${s ? signerOf(s) : 'a key'} whose ${keyOrIdentity(s)} is revoked${s?.trustDetail ? ` (${s.trustDetail})` : ''}.`;
      }
      case 'verified': {
        const signers = this.signatures.filter((x) => x.trust === 'trusted' && x.math === 'valid').map(signerOf);
        const how = this.signatures.some((x) => x.trust === 'trusted' && x.math === 'valid' && x.keySource === 'certificate')
          ? 'a trusted, current key or identity'
          : 'a trusted, current key';
        return `Verified: ${count} files match their digests; signed by ${signers.join(', ')} with ${how}.`;
      }
      case 'key-expired': {
        const s = this.signatures.find((x) => x.trust === 'expired-key' && x.math === 'valid');
        return `Key expired: ${count} files match, but the trusted ${keyOrIdentity(s)} of ${s ? signerOf(s) : 'the signer'} is outside its validity window${s?.trustDetail ? ` (${s.trustDetail})` : ''}.`;
      }
      case 'untrusted-signer': {
        // The advice is the headline's, shown beside the summary: said once (issue 15).
        const s = this.signatures.find((x) => x.math === 'valid' && x.statementMatches === true && x.trust === 'role-not-allowed');
        if (s)
          return `Untrusted signer: ${count} files match; ${signerOf(s)} signed with a trusted ${keyOrIdentity(s)}, but in a role it may not sign${s.trustDetail ? ` (${s.trustDetail})` : ''}.`;
        return `Untrusted signer: ${count} files match, but no signature is by a key or identity you trust.`;
      }
      case 'unsigned':
        return `Unsigned: ${count} files match their digests, but the bundle carries no signature.`;
    }
  }
}
