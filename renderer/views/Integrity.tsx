import { useState } from 'react';
import { Fingerprint } from '../trust/Fingerprint';
import type { FileCheck, SignatureCheck, VerificationReport } from '../../shared/evb/report';
import { formatFingerprint } from '../../shared/evb/keys';
import { KV, Missing, Pill, Section } from '../components/common';
import { VirtualList } from '../components/VirtualList';
import { FileSha256 } from '../components/FileSha256';
import { formatBytes } from '../format';
import { mathKind, trustKind } from '../components/signature-words';
import { isoDayValid } from '../components/IsoDateInput';
import { MATH_WORDS, TRUST_WORDS } from '../../shared/evb/signature-words';

/** BagIt's Payload-Oxum "<octets>.<file count>" in words: "1,234 bytes in 12 files". */
function oxumWords(oxum: string): string {
  const m = /^(\d+)\.(\d+)$/.exec(oxum);
  if (!m) return oxum;
  return `${Number(m[1]).toLocaleString('en-US')} bytes in ${Number(m[2]).toLocaleString('en-US')} files`;
}

export interface TrustRequest {
  pem: string;
  principal: string;
  roles: string[];
  validUntil: string | null;
}

function FileRow({ f }: { f: FileCheck }) {
  return (
    <div className={`vrow file-${f.result}`} role="row">
      <span role="cell" className="c-path mono" title={f.path}>
        {f.path}
      </span>
      <span role="cell" className="c-digest mono" title={f.expectedSha256 ?? ''}>
        {f.expectedSha256 ?? '—'}
      </span>
      <span role="cell" className="c-digest mono" title={f.actualSha256 ?? ''}>
        {f.actualSha256 ?? '—'}
      </span>
      <span role="cell" className="c-size num">
        {f.size === null ? '—' : formatBytes(f.size)}
      </span>
      <span role="cell" className="c-result">
        <Pill kind={f.result === 'ok' ? 'pass' : 'fail'}>{f.result}</Pill>
      </span>
    </div>
  );
}

function TrustForm({ sig, onTrust, onCancel }: { sig: SignatureCheck; onTrust: (r: TrustRequest) => void; onCancel: () => void }) {
  // Empty: the user types who they verified; the bundle's own claim is only a hint.
  const [principal, setPrincipal] = useState('');
  const [roles, setRoles] = useState(sig.role ?? '');
  const [validUntil, setValidUntil] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  return (
    <form
      className="trust-form"
      aria-label="Trust this key"
      onSubmit={(e) => {
        e.preventDefault();
        if (!sig.travellingKeyPem || !principal.trim() || !confirmed) return;
        // A day that does not exist (2026-02-30) is not rolled over into another.
        if (validUntil && !isoDayValid(validUntil)) return;
        const until = validUntil ? new Date(`${validUntil}T23:59:59Z`) : null;
        onTrust({
          pem: sig.travellingKeyPem,
          principal: principal.trim(),
          roles: roles
            .split(',')
            .map((r) => r.trim())
            .filter(Boolean),
          validUntil: until ? until.toISOString().replace('.000Z', 'Z') : null,
        });
      }}
    >
      <p>
        Compare this fingerprint with the one the signer gives you through another channel (phone, in person, a signed email) before you
        trust the key.
      </p>
      <p className="fingerprint mono" data-testid="trust-fingerprint">
        {sig.keyFingerprint ? formatFingerprint(sig.keyFingerprint) : 'unknown'}
      </p>
      <label>
        Principal (who you verified this key belongs to{sig.signer ? `; the bundle claims “${sig.signer.name}”` : ''})
        <input value={principal} onChange={(e) => setPrincipal(e.target.value)} required name="principal" />
      </label>
      <label>
        Roles it may sign as (comma-separated; empty = any)
        <input value={roles} onChange={(e) => setRoles(e.target.value)} name="roles" />
      </label>
      <label>
        Valid until (optional, YYYY-MM-DD)
        <input
          type="text"
          inputMode="numeric"
          pattern="\d{4}-\d{2}-\d{2}"
          placeholder="YYYY-MM-DD"
          title="An ISO 8601 date, YYYY-MM-DD"
          value={validUntil}
          onChange={(e) => setValidUntil(e.target.value)}
          name="valid-until"
        />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} name="confirm-fingerprint" />I compared
        the fingerprint and it matches.
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={!confirmed || !principal.trim()}>
          Trust this key and re-verify
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function SignatureCard({ s, onTrust }: { s: SignatureCheck; onTrust: (r: TrustRequest) => void }) {
  const [open, setOpen] = useState(false);
  const canTrust =
    s.trust !== 'trusted' && s.trust !== 'revoked-key' && s.math === 'valid' && s.travellingKeyPem !== null && s.keySource === 'travelling';
  return (
    <li className="sig-card">
      <div className="sig-head">
        <strong>{s.role ?? 'unknown role'}</strong> <span className="muted">{s.file}</span>
        <span className="sig-pills">
          <Pill kind={mathKind(s.math)}>{MATH_WORDS[s.math]}</Pill> <Pill kind={trustKind(s.trust)}>{TRUST_WORDS[s.trust]}</Pill>
        </span>
      </div>
      <KV
        rows={[
          ['Key id', <Fingerprint keyid={s.keyid} />],
          [
            'Fingerprint',
            s.keyFingerprint ? <code className="digest">{formatFingerprint(s.keyFingerprint)}</code> : <Missing what="no key at hand" />,
          ],
          [
            'Key source',
            s.keySource === 'trust-store'
              ? 'your trust store'
              : s.keySource === 'travelling'
                ? 'travelling with the bundle (checks the signature, never trusted by itself)'
                : 'none',
          ],
          ['Principal', s.principal ?? <Missing what="not in your trust store" />],
          ['Signer (claimed)', s.signer ? `${s.signer.name}${s.signer.email ? ` <${s.signer.email}>` : ''}` : <Missing />],
          ['Algorithm', s.algorithm],
          ['Signed at (claimed)', s.claimedTime ?? <Missing />],
          [
            'Statement matches bag',
            s.statementMatches === null ? <Missing what="not parsed" /> : s.statementMatches ? 'yes' : <Pill kind="fail">no</Pill>,
          ],
          ['Trust detail', s.trustDetail ?? <Missing what="—" />],
          ['Comment', s.comment ?? <Missing what="none" />],
        ]}
      />
      {canTrust && !open ? (
        <button type="button" className="primary" onClick={() => setOpen(true)}>
          Trust this key…
        </button>
      ) : null}
      {canTrust && open ? (
        <TrustForm
          sig={s}
          onCancel={() => setOpen(false)}
          onTrust={(r) => {
            setOpen(false);
            onTrust(r);
          }}
        />
      ) : null}
    </li>
  );
}

export function Findings({ report }: { report: VerificationReport }) {
  return (
    <Section title={`Structural findings (${report.findings.length})`}>
      {report.findings.length === 0 ? (
        <p className="muted">No structural problems.</p>
      ) : (
        <ul className="findings" data-testid="findings">
          {report.findings.map((f, i) => (
            <li key={i} className={`finding finding-${f.severity}`}>
              <Pill kind={f.severity === 'warning' ? 'warn' : 'fail'}>{f.severity}</Pill>{' '}
              <span className="mono small">
                {f.layer} · {f.code}
              </span>
              <p>{f.message}</p>
              {f.entry ? <p className="mono small muted">entry: {f.entry}</p> : null}
              {f.field ? <p className="mono small muted">field: {f.field}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function Integrity({ report, onTrust }: { report: VerificationReport; onTrust: (r: TrustRequest) => void }) {
  const [filter, setFilter] = useState<'all' | 'problems'>('all');
  const problems = report.files.filter((f) => f.result !== 'ok');
  const files = filter === 'all' ? report.files : problems;
  return (
    <div className="view integrity">
      <Section title="Bundle">
        <KV
          rows={[
            ['File', report.fileName ?? <Missing />],
            ['Size', formatBytes(report.fileSize)],
            ['File SHA-256', <FileSha256 report={report} />],
            ['Bundle id', report.bundleId ?? <Missing />],
            ['Tag manifest SHA-256', report.tagmanifestSha256 ? <code className="digest">{report.tagmanifestSha256}</code> : <Missing />],
            ['Entries', String(report.entryCount)],
            [
              'Payload bytes and files',
              report.payloadOxum ? (
                <span>
                  {oxumWords(report.payloadOxum)} <span className="muted small mono">Payload-Oxum {report.payloadOxum}</span>
                </span>
              ) : (
                <Missing />
              ),
            ],
            [report.status === 'verified' ? 'Verified at' : 'Checked at', report.verifiedAt],
            ['Trust store', report.trustStore],
            ['Took', `${report.elapsedMs} ms`],
            ['Summary', report.summary],
          ]}
        />
      </Section>
      <Findings report={report} />
      <Section title={`Signatures (${report.signatures.length})`}>
        {report.signatures.length === 0 ? (
          <p>
            <Missing what="the bundle carries no signature" />
          </p>
        ) : (
          <ul className="sig-list">
            {report.signatures.map((s) => (
              <SignatureCard key={s.file} s={s} onTrust={onTrust} />
            ))}
          </ul>
        )}
      </Section>
      <Section title={`Files (${report.files.length}; ${problems.length} with a problem)`}>
        <div className="toolbar-row" role="group" aria-label="Filter files">
          <button type="button" aria-pressed={filter === 'all'} onClick={() => setFilter('all')}>
            All files
          </button>
          <button type="button" aria-pressed={filter === 'problems'} onClick={() => setFilter('problems')}>
            Only problems ({problems.length})
          </button>
        </div>
        {files.length === 0 ? (
          <p className="muted">No files to show.</p>
        ) : (
          <VirtualList
            items={files}
            rowHeight={34}
            height={440}
            label="Files with expected and actual digests"
            header={
              <div className="vrow vhead" role="row">
                <span role="columnheader" className="c-path">
                  Path
                </span>
                <span role="columnheader" className="c-digest">
                  Expected SHA-256
                </span>
                <span role="columnheader" className="c-digest">
                  Actual SHA-256
                </span>
                <span role="columnheader" className="c-size num">
                  Size
                </span>
                <span role="columnheader" className="c-result">
                  Result
                </span>
              </div>
            }
            render={(f) => <FileRow key={f.path} f={f} />}
          />
        )}
      </Section>
    </div>
  );
}
