// Whether the packet's decision contradicts its own gate (issue 18 point 3). One rule for
// every face (the Overview's first screen, the PDF, the CLI): a release recommendation
// (ship, or conditional ship) where the gate says fail, or where an automatic-fail
// condition is triggered. A block never contradicts the gate; neither does a ship on warn or
// on insufficient evidence (those are judgement calls the packet's rationale explains).
// Pure: reads only the packet's gate and decision, as signed.

import type { GateVerdict, Packet, Recommendation } from './packet-types';
import { codeWithWords } from './code-words';

export type DecisionConflictKind = 'release-on-fail-verdict' | 'release-with-auto-fail-triggered';

export interface DecisionConflict {
  kind: DecisionConflictKind;
  /** One sentence for a person, naming the fields it rests on. */
  message: string;
  /** For an auto-fail conflict: the condition's key. */
  conditionKey: string | null;
  /** JSON Pointers into the packet that the conflict rests on. */
  fields: string[];
}

export interface DecisionCheck {
  recommendation: Recommendation;
  verdict: GateVerdict;
  /** Empty when the decision agrees with the gate. */
  conflicts: DecisionConflict[];
  contradicts: boolean;
}

const REC_WORDS: Record<Recommendation, string> = { ship: 'Ship', conditional_ship: 'Conditional ship', block: 'Block' };

/** Keys of automatic-fail conditions that are triggered: by their flag, or named in gate.triggered_conditions. */
function triggeredAutoFails(packet: Pick<Packet, 'gate'>): Array<{ key: string; index: number }> {
  const named = new Set(packet.gate.triggered_conditions);
  const out: Array<{ key: string; index: number }> = [];
  packet.gate.auto_fail_conditions.forEach((c, index) => {
    if (c.triggered || named.has(c.key)) out.push({ key: c.key, index });
  });
  return out;
}

/** Check the decision against the gate; see the file comment for the rule. */
export function checkDecisionAgainstGate(packet: Pick<Packet, 'gate' | 'decision'>): DecisionCheck {
  const rec = packet.decision.recommendation;
  const verdict = packet.gate.verdict;
  const conflicts: DecisionConflict[] = [];
  if (rec !== 'block') {
    const word = REC_WORDS[rec];
    if (verdict === 'fail') {
      conflicts.push({
        kind: 'release-on-fail-verdict',
        message: `${word} is recommended, but the gate verdict is Fail.`,
        conditionKey: null,
        fields: ['/decision/recommendation', '/gate/verdict'],
      });
    }
    for (const t of triggeredAutoFails(packet)) {
      conflicts.push({
        kind: 'release-with-auto-fail-triggered',
        // Said once: after the Fail-verdict sentence the recommendation is not repeated.
        message:
          verdict === 'fail'
            ? `The automatic-fail condition ${codeWithWords(t.key)} is triggered.`
            : `${word} is recommended, but the automatic-fail condition ${codeWithWords(t.key)} is triggered.`,
        conditionKey: t.key,
        fields: ['/decision/recommendation', `/gate/auto_fail_conditions/${t.index}/triggered`],
      });
    }
  }
  return { recommendation: rec, verdict, conflicts, contradicts: conflicts.length > 0 };
}
