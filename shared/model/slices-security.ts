// The Security slice: per agent, declared against used permissions, network use outside its
// bounds, models outside the AI bill of materials, policy-blocked calls; and the auto-fail rows.

import type { ReplayObservations } from './observations';
import type { Packet } from './packet-types';
import { EVIDENCE_TIER_LEGEND } from './packet-types';
import type { Maybe, SecurityAgent, SecuritySlice } from './slices-types';
import { absent, autoFailRows, checkTierSupport, fromObserved, observed, present, stepIndex } from './slices-common';

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

function hostAllowed(host: string, allowlist: string[]): boolean {
  const h = host.toLowerCase();
  return allowlist.some((entry) => {
    const e = entry
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/.*$/, '');
    if (e.startsWith('*.')) return h.endsWith(e.slice(1));
    return h === e;
  });
}

export function buildSecuritySlice(packet: Packet, observations?: ReplayObservations | null): SecuritySlice {
  const index = stepIndex(observations);
  const agents: SecurityAgent[] = packet.agents.map((a, i) => {
    const obs = observed(observations, a.run_agent_id);
    const declared = a.permissions ? sorted(a.permissions.declared) : null;
    const observedInPacket = a.permissions?.observed ? sorted(a.permissions.observed) : null;
    const observedInReplay = obs ? sorted(obs.toolsUsed) : null;
    const used = observedInReplay ?? observedInPacket;
    const basis = observedInReplay ? 'replay' : observedInPacket ? 'packet' : 'none';
    const allowedTools = new Set([...(declared ?? []), ...(a.tool_policy?.allowed_tool_kinds ?? [])]);
    const unusedGrants: Maybe<string[]> =
      declared === null
        ? absent('No permissions are declared for this agent.')
        : used === null
          ? absent('Tool use was not observed (no replay read, no observed permissions in the packet).')
          : present(declared.filter((d) => !used.includes(d)));
    const unexpectedUses: Maybe<string[]> =
      used === null
        ? absent('Tool use was not observed.')
        : declared === null && a.tool_policy === null
          ? absent('Nothing is declared to compare with.')
          : present(used.filter((u) => !allowedTools.has(u)));

    const hosts = obs ? sorted(obs.hostsContacted) : null;
    let outsideBounds: Maybe<string[]>;
    if (hosts === null) outsideBounds = absent('Network use was not observed.');
    else if (a.network === null) outsideBounds = absent('No network bounds are recorded for this agent.');
    else if (a.network.access === 'open') outsideBounds = present([]);
    else if (a.network.access === 'none') outsideBounds = present(hosts);
    else outsideBounds = present(hosts.filter((h) => !hostAllowed(h, a.network!.allowlist)));

    const modelsObserved = obs?.modelsUsed ? sorted(obs.modelsUsed) : null;
    const modelsOutsideBom: Maybe<string[]> =
      modelsObserved === null
        ? absent('Models used were not observed.')
        : a.ai_bom === null
          ? absent('No AI bill of materials is recorded.')
          : present(modelsObserved.filter((m) => !a.ai_bom!.models.includes(m)));

    const max = a.tool_policy?.max_tool_calls ?? null;
    return {
      runAgentId: a.run_agent_id,
      role: a.role,
      label: a.label,
      evidenceTier: a.evidence_tier,
      tierLegend: EVIDENCE_TIER_LEGEND[a.evidence_tier],
      tierSupport: checkTierSupport(a, obs),
      toolPolicy: a.tool_policy,
      secrets: a.secrets,
      aiBom: a.ai_bom,
      modelsObserved,
      modelsOutsideBom,
      routing: a.routing,
      permissions: { declared, observedInPacket, observedInReplay, unusedGrants, unexpectedUses, basis },
      network: { bounds: a.network, hostsContacted: hosts, outsideBounds },
      policyBlocked: obs
        ? present(obs.policyViolations.map((s) => fromObserved(s)))
        : absent('The replay was not read, so policy-blocked calls are not known.'),
      // max_tool_calls bounds one case; from run totals a breach is certain only when the
      // total exceeds the bound times the number of cases. Otherwise it is not known.
      toolCallsOverLimit: obs && max !== null && obs.toolCallCount > max * Math.max(1, packet.cases.length) ? true : null,
      toolCallCount: obs ? obs.toolCallCount : null,
      field: `/agents/${i}`,
    };
  });
  return { agents, autoFailConditions: autoFailRows(packet, index) };
}
