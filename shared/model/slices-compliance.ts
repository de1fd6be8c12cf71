// The Compliance slice: the chain of custody from the verification report (signers, digests,
// transparency), the approvers against the signers, and the AgentClash CI run and baseline.

import type { VerificationReport } from '../evb/report';
import type { Packet } from './packet-types';
import { compareApproversWithSigners } from './approvers';
import { baselineResolutionView, ciRunView } from './slices-agentclash';
import type { ChainEntry, ChainLink, ComplianceSlice, Maybe, SignerRow } from './slices-types';
import { absent, present } from './slices-common';
import { codeWithWords, codeWords } from './code-words';
import { MATH_WORDS, TRUST_WORDS } from '../evb/signature-words';

function entry(label: string, value: string | null | undefined, missing: string, field: string | null): ChainEntry {
  return value === null || value === undefined || value === ''
    ? { label, value: null, missing, field }
    : { label, value, missing: null, field };
}

function link(key: ChainLink['key'], title: string, entries: ChainEntry[]): ChainLink {
  const have = entries.filter((e) => e.value !== null).length;
  return { key, title, state: have === entries.length && have > 0 ? 'present' : have === 0 ? 'missing' : 'partial', entries };
}

export function buildComplianceSlice(packet: Packet, report: VerificationReport | null): ComplianceSlice {
  const pack = packet.workload.challenge_pack;
  const input = packet.workload.input_set;
  const signers: Maybe<SignerRow[]> = report
    ? present(
        report.signatures.map((s) => ({
          file: s.file,
          role: s.role,
          signer: s.signer,
          claimedTime: s.claimedTime,
          keyid: s.keyid,
          principal: s.principal,
          math: s.math,
          trust: s.trust,
          trustDetail: s.trustDetail,
        })),
      )
    : absent('No verification report: signatures have not been checked.');
  const signatureEntries: ChainEntry[] =
    report === null
      ? [entry('Signatures', null, 'Not verified yet.', null)]
      : report.signatures.length === 0
        ? [entry('Signatures', null, 'The bundle is unsigned.', null)]
        : report.signatures.map((s) => {
            const who = s.signer ? s.signer.name : (s.principal ?? 'unnamed signer');
            const role = s.role ?? 'no role';
            return entry(
              `${s.file}`,
              // In words, the trust code after them (issue 18.4); the time is the signer's claim.
              `${who} (${role}): ${MATH_WORDS[s.math].toLowerCase()}; ${TRUST_WORDS[s.trust].toLowerCase()} (${s.trust})${s.claimedTime ? `; signed at ${s.claimedTime} by its own claim` : ''}`,
              '',
              null,
            );
          });
  const chain: ChainLink[] = [
    link('pack-manifest', 'Challenge pack manifest', [
      entry(
        `Pack ${pack.slug} v${pack.version_number} (${pack.version_id})`,
        pack.manifest_sha256,
        'manifest_sha256 not recorded',
        '/workload/challenge_pack/manifest_sha256',
      ),
    ]),
    link('input-set', 'Input set', [
      entry(`Input set ${input.key} (${input.id})`, input.input_sha256, 'input_sha256 not recorded', '/workload/input_set/input_sha256'),
    ]),
    link('deployment-snapshots', 'Deployment snapshots', [
      entry(
        `Candidate ${packet.candidate.deployment_id ?? '(deployment not recorded)'}`,
        packet.candidate.snapshot_hash,
        'snapshot_hash not recorded',
        '/candidate/snapshot_hash',
      ),
      entry(
        `Baseline ${packet.baseline.deployment_id ?? '(deployment not recorded)'}`,
        packet.baseline.snapshot_hash,
        'snapshot_hash not recorded',
        '/baseline/snapshot_hash',
      ),
    ]),
    link('runs', 'Runs', [
      entry('Candidate run', `${packet.candidate.run_id} / ${packet.candidate.run_agent_id}`, '', '/candidate/run_id'),
      entry('Baseline run', `${packet.baseline.run_id} / ${packet.baseline.run_agent_id}`, '', '/baseline/run_id'),
    ]),
    link('policy', 'Gate policy', [entry('Policy digest', packet.gate.policy_sha256, 'policy_sha256 not recorded', '/gate/policy_sha256')]),
    link('verdict', 'Verdict and decision', [
      entry('Gate verdict', `${codeWords(packet.gate.verdict)}: ${codeWithWords(packet.gate.reason_code)}`, '', '/gate/verdict'),
      entry(
        'Decision',
        `${codeWords(packet.decision.recommendation)}, decided on ${codeWithWords(packet.decision.deciding_metric)}`,
        '',
        '/decision/recommendation',
      ),
    ]),
    link('signatures', 'Signatures and signers', signatureEntries),
  ];
  return {
    chain,
    status: report?.status ?? null,
    retention: {
      policy: packet.retention.policy,
      replayRetentionDays: packet.retention.replay_retention_days,
      retainUntil: packet.retention.retain_until,
      agentsWithoutReplay: packet.agents.filter((a) => a.replay === null).map((a) => a.run_agent_id),
    },
    signers,
    approvers: report ? compareApproversWithSigners(packet.owners, report.signatures) : null,
    owners: {
      releaseOwner: packet.owners.release_owner,
      rollbackOwner: packet.owners.rollback_owner,
      approvers: packet.owners.approvers.map((a) => ({ ...a })),
    },
    ciRun: ciRunView(packet),
    baselineResolution: baselineResolutionView(packet),
  };
}
