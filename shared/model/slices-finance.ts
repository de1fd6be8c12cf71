// The Finance slice: recorded cost, token cost from the replay and the packet's pricing, cost
// per successful task and the candidate-baseline deltas. Unknown stays a Maybe with its reason.

import type { AgentObservations, ReplayObservations } from './observations';
import type { Outcome, Packet } from './packet-types';
import { costPerCorrectView } from './slices-agentclash';
import type { CostSummary, FinanceCaseRow, FinanceSlice, Maybe } from './slices-types';
import { absent, observed, present } from './slices-common';

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

function costOf(o: Outcome | null, who: string): Maybe<number> {
  if (o === null) return absent(`No ${who} outcome recorded.`);
  if (o.cost_usd === null) return absent(`${who[0]!.toUpperCase()}${who.slice(1)} cost not recorded.`);
  return present(o.cost_usd);
}

function tokensOf(obs: AgentObservations | null, caseKey: string): Maybe<{ input: number | null; output: number | null }> {
  if (obs === null) return absent('Replay not read.');
  const t = obs.tokensByCase && Object.prototype.hasOwnProperty.call(obs.tokensByCase, caseKey) ? obs.tokensByCase[caseKey] : undefined;
  if (!t) return absent(obs.tokensByCase ? 'No model call for this case in the replay.' : 'Per-case tokens not observed.');
  return present({ input: t.inputTokens, output: t.outputTokens });
}

function tokenCost(packet: Packet, side: 'baseline' | 'candidate', obs: AgentObservations | null): Maybe<number> {
  if (obs === null) return absent('Replay not read.');
  if (obs.inputTokens === null || obs.outputTokens === null) return absent('The replay does not record token usage.');
  if (packet.pricing === null) return absent('No pricing recorded.');
  const agent = packet.agents.find((a) => a.run_agent_id === packet[side].run_agent_id);
  const models = obs.modelsUsed ?? (agent?.routing?.policy_kind === 'single_model' ? agent.routing.models : null);
  if (models === null || models.length === 0) return absent('Which model produced the tokens was not observed.');
  if (models.length > 1) return absent(`The agent used ${models.length} models (${models.join(', ')}); tokens are not split by model.`);
  const model = models[0]!;
  if (!Object.prototype.hasOwnProperty.call(packet.pricing, model)) return absent(`No price recorded for ${model}.`);
  const price = packet.pricing[model]!;
  return present(round((obs.inputTokens * price.input_per_mtok_usd + obs.outputTokens * price.output_per_mtok_usd) / 1_000_000));
}

function summarize(packet: Packet, side: 'baseline' | 'candidate', obs: AgentObservations | null): CostSummary {
  const outcomes = packet.cases.map((c) => c[side]);
  const withCost = outcomes.filter((o): o is Outcome => o !== null && o.cost_usd !== null);
  const without = packet.cases.filter((c) => c[side] === null || c[side]!.cost_usd === null).map((c) => c.case_key);
  const recorded = withCost.length ? round(withCost.reduce((s, o) => s + o.cost_usd!, 0)) : null;
  let total: Maybe<number>;
  if (packet.cases.length === 0) total = absent('The packet has no cases.');
  else if (without.length)
    total = absent(
      `Cost not recorded for ${without.length} of ${packet.cases.length} cases (${without.slice(0, 5).join(', ')}${without.length > 5 ? ', …' : ''}).`,
    );
  else total = present(recorded!);
  const judged = outcomes.filter((o): o is Outcome => o !== null);
  const successes: Maybe<number> =
    judged.length === 0 ? absent(`No ${side} outcome is recorded.`) : present(judged.filter((o) => o.verdict === 'pass').length);
  let perSuccess: Maybe<number>;
  if (total.value === null) perSuccess = absent(`Total cost unknown: ${total.missing}`);
  else if (successes.value === null) perSuccess = absent(successes.missing);
  else if (successes.value === 0) perSuccess = absent('No task succeeded, so there is no cost per successful task.');
  else perSuccess = present(round(total.value / successes.value));
  const tok = (v: number | null | undefined, what: string): Maybe<number> =>
    obs === null
      ? absent('Replay not read.')
      : v === null || v === undefined
        ? absent(`The replay records no ${what} tokens.`)
        : present(v);
  return {
    totalCostUsd: total,
    recordedCostUsd: recorded,
    casesWithCost: withCost.length,
    casesWithoutCost: without.length,
    successfulTasks: successes,
    costPerSuccessfulTaskUsd: perSuccess,
    inputTokens: tok(obs?.inputTokens, 'input'),
    outputTokens: tok(obs?.outputTokens, 'output'),
    tokenCostUsd: tokenCost(packet, side, obs),
  };
}

function delta(c: Maybe<number>, b: Maybe<number>): Maybe<number> {
  if (c.value === null) return absent(`Candidate: ${c.missing}`);
  if (b.value === null) return absent(`Baseline: ${b.missing}`);
  return present(round(c.value - b.value));
}

function sumMaybe(values: Array<Maybe<number>>, what: string): Maybe<number> {
  const missing = values.filter((v) => v.value === null).length;
  if (values.length === 0) return absent(`No ${what} cases.`);
  if (missing) return absent(`${what}: cost not recorded for ${missing} of ${values.length} cases.`);
  return present(round(values.reduce((s, v) => s + v.value!, 0)));
}

export function buildFinanceSlice(packet: Packet, observations?: ReplayObservations | null): FinanceSlice {
  const bObs = observed(observations, packet.baseline.run_agent_id);
  const cObs = observed(observations, packet.candidate.run_agent_id);
  const baseline = { ...summarize(packet, 'baseline', bObs), runAgentId: packet.baseline.run_agent_id };
  const candidate = { ...summarize(packet, 'candidate', cObs), runAgentId: packet.candidate.run_agent_id };
  const cases: FinanceCaseRow[] = packet.cases.map((c, i) => {
    const b = costOf(c.baseline, 'baseline');
    const cc = costOf(c.candidate, 'candidate');
    return {
      caseKey: c.case_key,
      challengeKey: c.challenge_key,
      title: c.title,
      baselineCostUsd: b,
      candidateCostUsd: cc,
      deltaUsd: delta(cc, b),
      baselineVerdict: c.baseline?.verdict ?? null,
      candidateVerdict: c.candidate?.verdict ?? null,
      baselineTokens: tokensOf(bObs, c.case_key),
      candidateTokens: tokensOf(cObs, c.case_key),
      field: `/cases/${i}`,
    };
  });
  const challengeKeys = [...new Set(packet.cases.map((c) => c.challenge_key))];
  const challenges = challengeKeys.map((k) => {
    const rows = cases.filter((r) => r.challengeKey === k);
    return {
      challengeKey: k,
      baselineCostUsd: sumMaybe(
        rows.map((r) => r.baselineCostUsd),
        k,
      ),
      candidateCostUsd: sumMaybe(
        rows.map((r) => r.candidateCostUsd),
        k,
      ),
    };
  });
  const pricing = packet.pricing;
  const priced = new Set(pricing ? Object.keys(pricing) : []);
  const named = new Set<string>();
  for (const a of packet.agents) for (const m of [...(a.routing?.models ?? []), ...(a.ai_bom?.models ?? [])]) named.add(m);
  return {
    currency: 'USD',
    baseline,
    candidate,
    totalDeltaUsd: delta(candidate.totalCostUsd, baseline.totalCostUsd),
    costPerSuccessfulTaskDeltaUsd: delta(candidate.costPerSuccessfulTaskUsd, baseline.costPerSuccessfulTaskUsd),
    cases,
    challenges,
    pricing: pricing
      ? present(
          Object.keys(pricing)
            .sort()
            .map((model) => ({
              model,
              inputPerMtokUsd: pricing[model]!.input_per_mtok_usd,
              outputPerMtokUsd: pricing[model]!.output_per_mtok_usd,
            })),
        )
      : absent('No pricing recorded: token costs cannot be checked.'),
    unpricedModels: [...named].filter((m) => !priced.has(m)).sort(),
    costPerCorrect: costPerCorrectView(packet),
  };
}
