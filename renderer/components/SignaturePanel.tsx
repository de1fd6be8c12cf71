// The signature panel (issue 18 point 2), reachable from the status strip on every tab: per
// signature who signed (the trust store's principal; the signer's own name marked as a
// claim), role, key fingerprint, algorithm, the time (proven, or the signer's claim), whether
// the signature checks out, whether the key is trusted and why, and whether the bundle
// changed after signing; above them, the packet's named approvers against the signers.
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import type { KeylessSignatureInfo, SignatureCheck, VerificationReport } from '../../shared/evb/report';
import type { Packet } from '../../shared/model/packet-types';
import { formatFingerprint } from '../../shared/evb/keys';
import { compareApproversWithSigners } from '../../shared/model/approvers';
import { STATUS_TABLE } from '../../shared/evb/status';
import { KV, Missing, Pill } from './common';
import { ALGORITHM_WORDS, MATH_EXPLAIN, mathKind, signerName, trustKind } from './signature-words';
import { MATH_WORDS, TRUST_WORDS } from '../../shared/evb/signature-words';

/** Whether the signed content changed after this signature, in words. */
function changedAfterSigning(s: SignatureCheck, report: VerificationReport): { text: string; bad: boolean } {
  if (s.statementMatches === false)
    return { text: 'The signature covers a different manifest or bundle id than this bundle has.', bad: true };
  if (s.statementMatches === null) return { text: 'Unknown: the signed statement could not be read.', bad: true };
  if (report.status === 'tampered' || report.status === 'malformed')
    return { text: 'Yes: files no longer match the signed manifest (see the Integrity tab).', bad: true };
  return { text: 'No: every file matches the manifest this signature covers.', bad: false };
}

function TimeRow({ s }: { s: SignatureCheck }) {
  const proven = s.keyless?.provenTime ?? null;
  if (proven) {
    const by = s.keyless?.provenTimeSource === 'timestamp-authority' ? 'a timestamp authority' : 'the transparency log';
    return (
      <span>
        <span className="mono">{proven}</span> <Pill kind="info">proven</Pill>
        <span className="muted small"> by {by}</span>
        {s.claimedTime ? <span className="muted small"> · the signer claims {s.claimedTime}</span> : null}
      </span>
    );
  }
  if (!s.claimedTime) return <Missing what="no time given" />;
  return (
    <span>
      <span className="mono">{s.claimedTime}</span> <Pill kind="neutral">signer&apos;s claim</Pill>
      <span className="muted small"> not proven by any timestamp</span>
    </span>
  );
}

function KeylessRows(k: KeylessSignatureInfo): Array<[string, ReactNode]> {
  const gh = k.github;
  return [
    ['Certificate identity', k.san ? <span className="mono">{k.san}</span> : <Missing />],
    ['Identity issuer', k.issuer ? <span className="mono">{k.issuer}</span> : <Missing />],
    ...(gh
      ? ([
          ['GitHub repository', gh.repository ?? <Missing />],
          ['Workflow', gh.workflow ?? <Missing />],
          ['Ref', gh.ref ? <span className="mono">{gh.ref}</span> : <Missing />],
        ] as Array<[string, ReactNode]>)
      : []),
    [
      'Transparency log',
      k.log ? (
        <span>
          <span className="mono">{k.log.url}</span> · entry {k.log.logIndex}
          <span className="muted small"> ({k.log.proof === 'inclusion-proof' ? 'inclusion proof' : 'signed entry timestamp'})</span>
        </span>
      ) : (
        <Missing what="not logged" />
      ),
    ],
    ['Certificate authority', k.certificateAuthority ?? <Missing />],
    ...(k.failedStep ? ([['Failed check', <span className="fail-text">{k.failedStep}</span>]] as Array<[string, ReactNode]>) : []),
  ];
}

function SignatureEntry({ s, report }: { s: SignatureCheck; report: VerificationReport }) {
  const who = signerName(s);
  const changed = changedAfterSigning(s, report);
  return (
    <li className="sig-card" data-testid="signature-entry" data-trust={s.trust} data-math={s.math}>
      <div className="sig-head">
        <strong>{who.name}</strong>
        {who.claimed ? <Pill kind="neutral">signer&apos;s claim</Pill> : null} <span className="muted small">as {s.role ?? 'no role'}</span>
        <span className="sig-pills">
          <Pill kind={mathKind(s.math)}>{MATH_WORDS[s.math]}</Pill> <Pill kind={trustKind(s.trust)}>{TRUST_WORDS[s.trust]}</Pill>
        </span>
      </div>
      <KV
        rows={[
          ['In your trust store as', s.principal ?? <Missing what="not in your trust store" />],
          [
            'Signer says it is',
            s.signer ? (
              <span>
                {s.signer.name}
                {s.signer.email ? ` <${s.signer.email}>` : ''} <span className="muted small">(the signer&apos;s claim)</span>
              </span>
            ) : (
              <Missing />
            ),
          ],
          ['Role', s.role ?? <Missing />],
          ['Signed at', <TimeRow s={s} />],
          [
            'Key fingerprint',
            s.keyFingerprint ? <code className="digest">{formatFingerprint(s.keyFingerprint)}</code> : <Missing what="no key at hand" />,
          ],
          ['Algorithm', ALGORITHM_WORDS[s.algorithm]],
          ['Signature', <span>{MATH_EXPLAIN[s.math]}</span>],
          [
            'Trust',
            <span>
              {TRUST_WORDS[s.trust]}
              {s.trustDetail ? `: ${s.trustDetail}` : ''} <span className="mono muted small">{s.trust}</span>
            </span>,
          ],
          ['Changed after signing', <span className={changed.bad ? 'fail-text' : undefined}>{changed.text}</span>],
          ...(s.keyless ? KeylessRows(s.keyless) : []),
          ['File', <span className="mono small">{s.file}</span>],
        ]}
      />
    </li>
  );
}

function ApproverCheck({ packet, report }: { packet: Packet; report: VerificationReport }) {
  const check = compareApproversWithSigners(packet.owners, report.signatures);
  return (
    <section className="approver-check" aria-labelledby="approver-check-h" data-testid="approver-check" data-flagged={check.flagged}>
      <h3 id="approver-check-h">Named approvers and signers</h3>
      {check.approvers.length === 0 ? <p className="muted small">The packet names no approvers.</p> : null}
      <ul className="plain-list">
        {check.approvers.map((a) => (
          <li key={a.index}>
            <Pill kind={a.state === 'signed' ? 'pass' : a.state === 'not-signed' ? 'fail' : 'warn'}>
              {a.state === 'signed' ? 'signed' : a.state === 'not-signed' ? 'did not sign' : 'signed, key not trusted'}
            </Pill>{' '}
            {a.approver.name} <span className="muted small">({a.approver.role})</span>
          </li>
        ))}
        {check.unnamedSigners.map((u) => (
          <li key={u.file}>
            <Pill kind="fail">not named in the packet</Pill> {u.name}
            {u.claimed ? <span className="muted small"> (the signer&apos;s claim)</span> : null}{' '}
            <span className="muted small">signed as {u.role ?? 'no role'}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The panel itself; `onClose` hides it (Escape too). */
export function SignaturePanel({ report, packet, onClose }: { report: VerificationReport; packet: Packet | null; onClose: () => void }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <aside
      ref={ref}
      id="signature-panel"
      className="signature-panel"
      aria-labelledby="signature-panel-h"
      tabIndex={-1}
      data-testid="signature-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="signature-panel-head">
        <h2 id="signature-panel-h">Signatures ({report.signatures.length})</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="small">
        Bundle status: <strong>{STATUS_TABLE[report.status].label}</strong>. {report.summary}
      </p>
      {report.signatures.length === 0 ? (
        <p className="sig-none" data-testid="no-signatures">
          Nobody signed this bundle. Its files may be intact, but nothing says who made it or who approved it.
        </p>
      ) : null}
      {packet ? <ApproverCheck packet={packet} report={report} /> : null}
      <ul className="sig-list">
        {report.signatures.map((s) => (
          <SignatureEntry key={s.file} s={s} report={report} />
        ))}
      </ul>
    </aside>
  );
}
