// The eight items an approval packet needs, evaluated from the packet. Stands in until
// shared/model/checklist.ts (buildChecklist) lands; same idea: met or missing, and the
// field each item rests on.
import type { Packet } from '../../shared/model/packet-types';

export interface ChecklistItem {
  key: string;
  title: string;
  met: boolean;
  field: string;
  detail: string;
}

const LATEST = /^(latest|current|head|main|master|prod|production)$/i;

export function evaluateChecklist(p: Packet): ChecklistItem[] {
  const c = p.candidate;
  const named = (v: string | null) => v !== null && v.trim() !== '' && !LATEST.test(v.trim());
  const items: ChecklistItem[] = [];
  const add = (key: string, title: string, met: boolean, field: string, detail: string) => items.push({ key, title, met, field, detail });
  add(
    'candidate-named',
    'Named candidate build and deployment (not "latest")',
    (named(c.agent_build_id) || named(c.build_version_id)) && named(c.deployment_id),
    '/candidate/build_version_id, /candidate/deployment_id',
    `build ${c.build_version_id ?? c.agent_build_id ?? 'not recorded'}, deployment ${c.deployment_id ?? 'not recorded'}`,
  );
  const pack = p.workload.challenge_pack;
  const input = p.workload.input_set;
  add(
    'frozen-workload',
    'Frozen challenge pack version and input set',
    Boolean(pack.version_id) && Number.isInteger(pack.version_number) && Boolean(input.id) && Boolean(pack.manifest_sha256 || input.input_sha256),
    '/workload/challenge_pack/version_id, /workload/input_set/id',
    `pack v${pack.version_number} (${pack.version_id}), input set ${input.id}${pack.manifest_sha256 || input.input_sha256 ? ', with digests' : ', no digests'}`,
  );
  const sel = p.baseline.selection;
  add(
    'baseline-policy',
    'Baseline run id with a max-age policy',
    Boolean(p.baseline.run_id) && sel.max_age_days !== null && (sel.age_days === null || sel.age_days <= sel.max_age_days),
    '/baseline/run_id, /baseline/selection/max_age_days',
    `run ${p.baseline.run_id}, max age ${sel.max_age_days ?? 'not set'}${sel.age_days !== null ? `, age ${sel.age_days} days` : ''}`,
  );
  const dims = Object.keys(p.gate.dimension_results);
  add('gate-dimensions', 'Gate policy in scorecard dimensions', dims.length > 0, '/gate/dimension_results', dims.length > 0 ? dims.join(', ') : 'no dimensions');
  const r = p.retention;
  add(
    'replay-retained',
    'Replay retained per retention rules',
    (r.replay_retention_days !== null || r.retain_until !== null) && p.agents.some((a) => a.replay !== null),
    '/retention, /agents/*/replay',
    `${r.replay_retention_days !== null ? `${r.replay_retention_days} days` : 'no retention days'}${r.retain_until ? `, until ${r.retain_until}` : ''}; ${p.agents.filter((a) => a.replay).length} of ${p.agents.length} agents have a replay`,
  );
  add(
    'tier-labeled',
    'Evidence tier labeled per agent',
    p.agents.length > 0 && p.agents.every((a) => Boolean(a.evidence_tier)),
    '/agents/*/evidence_tier',
    p.agents.map((a) => `${a.label}: ${a.evidence_tier}`).join('; ') || 'no agents',
  );
  add(
    'auto-fail-listed',
    'Automatic fail conditions listed',
    p.gate.auto_fail_conditions.length > 0,
    '/gate/auto_fail_conditions',
    `${p.gate.auto_fail_conditions.length} listed`,
  );
  add(
    'owners-named',
    'Release and rollback owners named',
    Boolean(p.owners.release_owner?.name) && Boolean(p.owners.rollback_owner?.name),
    '/owners/release_owner, /owners/rollback_owner',
    `release ${p.owners.release_owner?.name ?? 'not named'}, rollback ${p.owners.rollback_owner?.name ?? 'not named'}`,
  );
  return items;
}
