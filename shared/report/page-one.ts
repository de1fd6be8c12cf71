// Page 1, the summary a CISO signs: the title, the decision (flagged when it contradicts the
// gate, by shared/model/decision-check's rule) and what forced it, the gate,
// candidate and baseline, the scorecard and the evidence tier of every agent. (The
// verification block and the sign-off follow it: verification.ts, signoff.ts.)

import type { RGB } from 'pdf-lib';
import type { DimensionOutcome, EvidenceTier, Recommendation } from '../model/packet-types';
import type { DecisionConflict } from '../model/decision-check';
import { checkDecisionAgainstGate } from '../model/decision-check';
import { codeWithWords } from '../model/code-words';
import type { SummaryContext } from './context';
import { AMBER, GREEN, INK, MUTED, RED } from './layout';
import type { Style } from './text';
import { dimensionSentence, num, orNR, person, signed, stateOf, tierName, tierShort, words } from './format';

const RECOMMENDATION_WORDS: Readonly<Record<Recommendation, string>> = {
  ship: 'SHIP',
  block: 'BLOCK',
  conditional_ship: 'CONDITIONAL SHIP',
};

const RECOMMENDATION_COLOR: Readonly<Record<Recommendation, RGB>> = { ship: GREEN, block: RED, conditional_ship: AMBER };
const OUTCOME_COLOR: Readonly<Record<DimensionOutcome, RGB>> = { pass: GREEN, warn: AMBER, fail: RED, unavailable: MUTED };

/** Strongest first, as the legend under the tier table lists them. */
const TIERS: readonly EvidenceTier[] = ['native_structured', 'hosted_structured', 'hosted_black_box', 'derived_summary', 'none'];

export function titleSection({ flow, overview, z, ml }: SummaryContext): void {
  const { producer } = overview;
  flow.text(overview.title, { style: 'bold', size: z(14), maxLines: ml(2), after: 2 });
  flow.text(
    `Release gate summary \u00b7 packet created ${overview.createdAt} by ${producer.name}${producer.version ? ` ${producer.version}` : ''}`,
    { size: z(8), color: MUTED, maxLines: ml(2), after: 6 },
  );
}

/** What decided the recommendation: a dimension, a fail condition, or neither (said so). */
function forcedBy(decision: SummaryContext['overview']['decision']): string {
  const d = decision.decidingDimension;
  const c = decision.decidingCondition;
  if (d) return `${d.key}: ${dimensionSentence(d)}`;
  if (c) return `${c.key} (automatic fail condition, ${c.triggered ? 'triggered' : 'not triggered'}): ${c.description}`;
  return `${decision.decidingMetric} (names neither a dimension nor a fail condition of the gate)`;
}

/** One line for page 1 when the decision contradicts the gate (decision-check's conflicts); null when it does not. */
function contradiction(conflicts: DecisionConflict[], recommendation: string): string | null {
  if (conflicts.length === 0) return null;
  const onFail = conflicts.some((c) => c.kind === 'release-on-fail-verdict') ? ' on a FAIL verdict' : '';
  const keys = conflicts.flatMap((c) => (c.conditionKey ? [c.conditionKey] : []));
  // The condition in words, its key beside them (issue 18.4), as on the Overview.
  const triggered = keys.length ? ` with ${keys.map(codeWithWords).join(', ')} triggered` : '';
  return `\u2717 Contradicts the gate: ${recommendation}${onFail}${triggered}.`;
}

/** The contradiction in red beside the decision word (in the room its line leaves), or under it when that room is too small. */
function flagBesideWord(flow: SummaryContext['flow'], flag: string, wordWidth: number, top: number, z: SummaryContext['z']): void {
  const size = z(8);
  const x = flow.left + wordWidth + 14;
  const lines = flow.shaper.wrap(flag, 'bold', size, flow.right - x, 4);
  const lh = size * 1.25;
  if (flow.right - x < 120 || lines.length * lh > z(24) * 1.25) {
    flow.text(flag, { style: 'bold', size, color: RED, maxLines: 3, after: 1 });
    return;
  }
  lines.forEach((l, i) => flow.drawLine(l, x, top - lh * (i + 1) + size * 0.25, 'bold', size, RED));
}

/** The decision, large, flagged when it contradicts the gate, with what forced it, its conditions and rationale, and a bar in its colour. */
export function decisionSection({ flow, overview, packet, z, ml }: SummaryContext): void {
  const { decision } = overview;
  const rec = decision.recommendation;
  const top = flow.y;
  flow.text(RECOMMENDATION_WORDS[rec], { style: 'bold', size: z(24), color: RECOMMENDATION_COLOR[rec], maxLines: ml(1), after: 2 });
  const flag = contradiction(checkDecisionAgainstGate(packet).conflicts, words(rec));
  if (flag) flagBesideWord(flow, flag, flow.shaper.width(RECOMMENDATION_WORDS[rec], 'bold', z(24)), top, z);
  flow.pairs([['Forced by', forcedBy(decision), 'bold']], { labelWidth: 80, size: z(8), maxLines: ml(3) });
  if (decision.conditions.length) {
    flow.pairs(
      decision.conditions.map((t, i) => [i === 0 ? 'Conditions' : '', `${i + 1}. ${t}`] as [string, string]),
      { labelWidth: 80, size: z(8), maxLines: 2 },
    );
  } else if (rec === 'conditional_ship') {
    flow.pairs([['Conditions', 'none recorded, although the decision is a conditional ship', 'bold', RED]], { labelWidth: 80 });
  }
  if (decision.rationale) flow.pairs([['Rationale', decision.rationale]], { labelWidth: 80, size: z(7.5), maxLines: ml(2) });
  if (flow.page === flow.pages[0])
    flow.page.drawRectangle({ x: flow.left - 6, y: flow.y - 2, width: 3, height: top - flow.y, color: RECOMMENDATION_COLOR[rec] });
  flow.space(4);
}

/** The gate's verdict and policy, the workload (pack, input set) and the owners. */
export function gateSection({ flow, overview, z }: SummaryContext): void {
  const { gate, workload, owners } = overview;
  const { pack, inputSet } = workload;
  flow.pairs(
    [
      [
        'Gate verdict',
        `${words(gate.verdict).toUpperCase()} \u00b7 reason code ${gate.reasonCode}${gate.summary ? ` \u2014 ${gate.summary}` : ''}`,
        'bold',
      ],
      [
        'Gate policy',
        `${gate.policyKey ?? 'policy key not recorded'}${gate.policyVersion ? ` v${gate.policyVersion}` : ''} \u00b7 policy SHA-256 ${orNR(gate.policySha256)}`,
      ],
      [
        'Challenge pack',
        `${pack.slug} v${pack.versionNumber} (${pack.name}, version id ${pack.versionId}) \u00b7 manifest SHA-256 ${orNR(pack.manifestSha256)}`,
      ],
      [
        'Input set',
        `${inputSet.key} (${inputSet.id}${inputSet.name ? `, ${inputSet.name}` : ''}) \u00b7 digest ${orNR(inputSet.inputSha256)} \u00b7 ${inputSet.caseCount ?? 'unknown number of'} cases, ${inputSet.casesInPacket} in the packet`,
      ],
      [
        'Owners',
        `release ${person(owners.releaseOwner)} \u00b7 rollback ${person(owners.rollbackOwner)}${owners.approvers.length ? ` \u00b7 approvers ${owners.approvers.map((a) => `${person(a)} (${a.role})`).join('; ')}` : ''}`,
        undefined,
        owners.releaseOwner && owners.rollbackOwner ? INK : RED,
      ] as [string, string, Style | undefined, RGB],
    ],
    // Digests must stay whole: these rows keep their two lines at every density.
    { labelWidth: 80, size: z(7.5), maxLines: 2 },
  );
  flow.space(3);
}

/** Candidate and baseline side by side, then how the baseline was selected. */
export function participantsSection({ flow, overview, z, ml }: SummaryContext): void {
  flow.table(
    [
      { title: '', share: 1.05 },
      { title: 'Label', share: 1.9 },
      { title: 'Build / version', share: 2.4 },
      { title: 'Deployment', share: 2.6 },
      { title: 'Run / run agent', share: 2.2 },
    ],
    [overview.candidate, overview.baseline].map((p) => [
      { text: p.role === 'candidate' ? 'Candidate' : 'Baseline', style: 'bold' as Style },
      { text: p.label },
      { text: `${orNR(p.agentBuildId)} / ${orNR(p.buildVersionId)}` },
      { text: `${orNR(p.deploymentId)}${p.deploymentName ? ` (${p.deploymentName})` : ''}` },
      { text: `${p.runId} / ${p.runAgentId}` },
    ]),
    { size: z(7), maxLines: 2 },
  );
  const sel = overview.baseline.selection;
  const age = sel.ageDays === null ? 'age not recorded' : `${sel.ageDays} days old`;
  const max = sel.maxAgeDays === null ? 'no max age' : `max ${sel.maxAgeDays} days`;
  flow.text(`Baseline selection: ${words(sel.strategy)}, ${age}, ${max}${sel.stale ? ' \u2014 STALE' : ''}.`, {
    size: z(7.5),
    color: sel.stale ? RED : MUTED,
    maxLines: ml(1),
    after: 2,
  });
}

/** Every dimension with both values, the thresholds and the outcome; then the fail conditions. */
export function scorecardSection({ flow, overview, z, ml }: SummaryContext): void {
  const deciding = overview.decision.decidingMetric;
  flow.heading('Scorecard by dimension', 9);
  flow.table(
    [
      { title: 'Dimension', share: 2.2 },
      { title: 'Better', share: 0.9 },
      { title: 'Baseline', share: 1.2, align: 'right' },
      { title: 'Candidate', share: 1.2, align: 'right' },
      { title: 'Worsening', share: 1.1, align: 'right' },
      { title: 'Warn at', share: 1, align: 'right' },
      { title: 'Fail at', share: 1, align: 'right' },
      { title: 'Outcome', share: 1.3 },
    ],
    overview.dimensions.map((d) => [
      {
        text: `${d.key}${d.derived ? ' (derived)' : ''}${d.key === deciding ? ' \u25c0 deciding' : ''}`,
        style: d.key === deciding ? 'bold' : 'regular',
      },
      { text: d.betterDirection },
      { text: num(d.baselineValue, stateOf(d, 'baseline')), color: d.baselineValue === null ? MUTED : INK },
      { text: num(d.candidateValue, stateOf(d, 'candidate')), color: d.candidateValue === null ? MUTED : INK },
      {
        text: signed(d.worseningDelta, d.state === 'available' ? undefined : 'unavailable'),
        color: d.worseningDelta === null ? MUTED : INK,
      },
      { text: num(d.warnThreshold) },
      { text: num(d.failThreshold) },
      {
        text:
          d.outcome === 'unavailable' ? `unavailable${d.state !== 'unavailable' ? ` (${words(d.state)})` : ''}` : d.outcome.toUpperCase(),
        color: OUTCOME_COLOR[d.outcome],
        style: 'bold',
      },
    ]),
    { size: z(7.5), maxLines: ml(2) },
  );
  const conditions = overview.autoFailConditions;
  const triggered = conditions.filter((c) => c.triggered);
  flow.text(
    conditions.length === 0
      ? 'Automatic fail conditions: none listed by the gate.'
      : `Automatic fail conditions: ${conditions.length} listed, ${triggered.length ? `triggered: ${triggered.map((c) => c.key).join(', ')}` : 'none triggered'}.`,
    { size: z(7.5), color: triggered.length ? RED : MUTED, maxLines: ml(2), after: 2 },
  );
}

/** The evidence tier of every agent, as claimed and as checked against its replay, with the legend. */
export function tiersSection({ flow, overview, z }: SummaryContext): void {
  flow.heading('Evidence tier of every agent', 9);
  flow.table(
    [
      { title: 'Agent', share: 2.6 },
      { title: 'Role', share: 1 },
      { title: 'Run agent', share: 1.4 },
      { title: 'Evidence tier', share: 2.8 },
      { title: 'Tier checked against the replay', share: 2.4 },
    ],
    overview.agents.map((a) => [
      { text: a.label },
      { text: a.role },
      { text: a.runAgentId },
      {
        text: `${tierName(a.evidenceTier)}${a.tierDerived ? ' (derived)' : ''}`,
        style: 'bold',
        color: a.evidenceTier === 'none' || a.evidenceTier === 'derived_summary' ? AMBER : INK,
      },
      {
        text: a.tierSupport.status === 'not-checked' ? 'not checked' : `${a.tierSupport.status}: ${a.tierSupport.detail}`,
        color: a.tierSupport.status === 'contradicted' ? RED : MUTED,
      },
    ]),
    { size: z(7.5), maxLines: 2 },
  );
  flow.text(`Tiers, strongest first: ${TIERS.map((t) => `${tierName(t)} \u2014 ${tierShort(t)}`).join('; ')}.`, {
    size: z(6.5),
    color: MUTED,
    maxLines: 3,
    after: 2,
  });
}
