import type { ViewProps } from './types';
import type { ReactNode } from 'react';
import { Digest, KV, Missing, Pill, Section, Val } from '../components/common';

function Link({ title, children }: { title: string; children: ReactNode }) {
  return (
    <li className="chain-link">
      <span className="chain-title">{title}</span>
      <span className="chain-body">{children}</span>
    </li>
  );
}

export function Compliance({ packet, report }: ViewProps) {
  const signed = report.signatures;
  return (
    <div className="view compliance">
      <Section title="Traceability chain">
        <p className="muted small">From the approved workload to the verdict and the signatures over it. Each link names the digest or id it rests on.</p>
        <ol className="chain">
          <Link title="Challenge pack manifest">
            {packet.workload.challenge_pack.name} v{packet.workload.challenge_pack.version_number} <Digest hex={packet.workload.challenge_pack.manifest_sha256} />
          </Link>
          <Link title="Input set">
            <span className="mono">{packet.workload.input_set.id}</span> <Digest hex={packet.workload.input_set.input_sha256} />
          </Link>
          <Link title="Deployment snapshots">
            candidate <Digest hex={packet.candidate.snapshot_hash} /> · baseline <Digest hex={packet.baseline.snapshot_hash} />
          </Link>
          <Link title="Runs">
            candidate <span className="mono">{packet.candidate.run_id}</span> · baseline <span className="mono">{packet.baseline.run_id}</span>
          </Link>
          <Link title="Gate policy">
            <Digest hex={packet.gate.policy_sha256} />
          </Link>
          <Link title="Verdict">
            <Pill kind={packet.gate.verdict}>{packet.gate.verdict}</Pill> <span className="mono small">{packet.gate.reason_code}</span> → decision <strong>{packet.decision.recommendation.replace('_', ' ')}</strong>
          </Link>
          <Link title="Tag manifest (what signatures sign)">
            <Digest hex={report.tagmanifestSha256} />
          </Link>
          <Link title="Signatures">
            {signed.length === 0 ? (
              <Missing what="unsigned" />
            ) : (
              signed.map((s) => (
                <span key={s.file} className="chain-sig">
                  <Pill kind={s.math === 'valid' && s.trust === 'trusted' ? 'pass' : s.math === 'invalid' ? 'fail' : 'warn'}>
                    {s.role ?? 'unknown role'}: {s.math}, {s.trust}
                  </Pill>{' '}
                  {s.principal ?? s.signer?.name ?? 'unknown signer'}
                </span>
              ))
            )}
          </Link>
        </ol>
      </Section>
      <Section title="Retention">
        <KV
          rows={[
            ['Policy', <Val v={packet.retention.policy} />],
            ['Replay retention', packet.retention.replay_retention_days === null ? <Missing /> : `${packet.retention.replay_retention_days} days`],
            ['Retain until', <Val v={packet.retention.retain_until} />],
          ]}
        />
      </Section>
      <Section title="Who signed, in which role, and when (as claimed)">
        {signed.length === 0 ? (
          <p><Missing what="nobody signed this bundle" /></p>
        ) : (
          <table className="data">
            <caption className="sr-only">Signers</caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Signer (claimed)</th>
                <th scope="col">Trust store principal</th>
                <th scope="col">Signed at (claimed)</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {signed.map((s) => (
                <tr key={s.file}>
                  <td>{s.role ?? <Missing what="unknown" />}</td>
                  <td>{s.signer ? `${s.signer.name}${s.signer.email ? ` <${s.signer.email}>` : ''}` : <Missing />}</td>
                  <td>{s.principal ?? <Missing what="not in your trust store" />}</td>
                  <td>{s.claimedTime ?? <Missing />}</td>
                  <td>
                    <Pill kind={s.math === 'valid' ? 'pass' : s.math === 'invalid' ? 'fail' : 'warn'}>{s.math}</Pill> <Pill kind={s.trust === 'trusted' ? 'pass' : 'warn'}>{s.trust}</Pill>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="muted small">Approvers named in the packet: {packet.owners.approvers.length === 0 ? 'none' : packet.owners.approvers.map((a) => `${a.name} (${a.role})`).join(', ')}</p>
      </Section>
    </div>
  );
}
