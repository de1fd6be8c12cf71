// exhibit replay BUNDLE [...]: a run agent's replay as steps, indexed on a worker thread:
// filters and search like the Replay tab, one step's events, or the comparison
// of baseline and candidate case by case.
import type { CliIo } from '../io';
import { CliError, UsageError, flag, list, parse, parseTime, runCommand, str } from '../args';
import { loadTrust, openVerified } from '../verify-file';
import { nodeReplayPort } from '../replay-node';
import { STATUS_EXIT_CODE } from '../../shared/evb/report';
import { openBundleModel } from '../../shared/model/open-bundle';
import type { Packet } from '../../shared/model/packet-types';
import type { ReplayIndex } from '../../shared/model/replay-index';
import { indexByteSize, stepBySeq, stepEvents } from '../../shared/model/replay-index';
import { ReplayClient, ReplayEventReader } from '../../shared/model/replay-worker';
import {
  NO_FILTER,
  filterSteps,
  kindLabel,
  packetRefSteps,
  stepCase,
  stepCostUsd,
  stepDurationMs,
  stepKind,
  stepMarks,
  stepName,
  stepOutput,
  stepStatus,
  stepTokens,
} from '../../shared/model/replay-steps';
import type { StatusFilter, StepFilter } from '../../shared/model/replay-steps';
import { compareAllCases } from '../../shared/model/replay-compare';
import { replayEntryPaths } from '../../shared/model/replay-events';

export const USAGE = `usage: exhibit replay BUNDLE [--agent ID|candidate|baseline] [--case KEY] [--type KIND]
                      [--tool NAME] [--status STATUS] [--search TEXT] [--limit N] [--json]
       exhibit replay BUNDLE --step SEQ [--agent ...]
       exhibit replay BUNDLE --compare [--json]

Verifies the bundle (its status comes first), indexes a run agent's replay on a worker
thread and lists its steps: start and terminal events paired per case, interrupted steps,
unknown event types as generic events. Filters and search work as on the Replay tab.
  --agent ID         a run agent id, or candidate (default) / baseline
  --case KEY         only this case ('' for run-level steps)
  --type KIND        only this step type (tool.call, model.call, sandbox.command, ...)
  --tool NAME        only steps of this tool, model or command
  --status STATUS    failed, policy, fallback, sandbox, interrupted or marked (referenced by the packet)
  --search TEXT      only steps whose event text or offloaded payload contains TEXT (any case)
  --step SEQ         print the events of the step holding sequence number SEQ
  --compare          where baseline and candidate diverge, case by case
  --limit N          list at most N steps (default 200; 0 for all)
  --trust FILE, --key PUB.pem, --at TIME   as for 'exhibit verify'
  --json             machine-readable output
Exit codes as 'exhibit verify'; a malformed bundle has no replay to show (2).
`;

const STATUSES = new Set(['failed', 'policy', 'fallback', 'sandbox', 'interrupted', 'marked']);

function agentOf(packet: Packet, wanted: string | undefined): string {
  const role = wanted ?? 'candidate';
  const byRole = role === 'candidate' ? packet.candidate.run_agent_id : role === 'baseline' ? packet.baseline.run_agent_id : null;
  const id = byRole ?? role;
  if (!packet.agents.some((a) => a.run_agent_id === id))
    throw new UsageError(
      `no run agent ${JSON.stringify(id)} in the packet; it has ${packet.agents.map((a) => a.run_agent_id).join(', ')}.`,
    );
  return id;
}

function stepJson(index: ReplayIndex, s: number, packet: Packet, refs: Map<number, string[]>) {
  const t = stepTokens(index, s);
  const marks = stepMarks(index, s, refs);
  return {
    sequence_number: index.seq[index.stepStart[s]!],
    end_sequence_number: index.stepEnd[s]! >= 0 ? index.seq[index.stepEnd[s]!] : null,
    case_key: stepCase(index, s),
    type: stepKind(index, s),
    name: stepName(index, s) || null,
    output: stepOutput(index, s) || null,
    status: stepStatus(index, s),
    duration_ms: stepDurationMs(index, s),
    input_tokens: t.input,
    output_tokens: t.output,
    cost_usd: stepCostUsd(index, s, packet.pricing),
    marks: Object.entries(marks)
      .filter(([, v]) => v)
      .map(([k]) => k),
    refs: refs.get(s) ?? [],
  };
}

function pad(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

export async function run(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'replay', USAGE, async () => {
    const p = parse(args, {
      trust: { type: 'string' },
      key: { type: 'string', multiple: true },
      at: { type: 'string' },
      agent: { type: 'string' },
      case: { type: 'string' },
      type: { type: 'string' },
      tool: { type: 'string' },
      status: { type: 'string' },
      search: { type: 'string' },
      step: { type: 'string' },
      compare: { type: 'boolean' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (flag(p, 'help')) {
      io.stdout.write(USAGE);
      return 0;
    }
    if (p.positionals.length !== 1)
      throw new UsageError(p.positionals.length === 0 ? 'name the bundle whose replay to show.' : 'show one bundle at a time.');
    const status = str(p, 'status');
    if (status !== undefined && !STATUSES.has(status)) throw new UsageError(`--status must be one of ${[...STATUSES].join(', ')}.`);
    const limitText = str(p, 'limit') ?? '200';
    if (!/^\d{1,9}$/.test(limitText)) throw new UsageError('--limit must be a whole number.');
    const limit = Number(limitText) || Infinity;
    const stepText = str(p, 'step');
    if (stepText !== undefined && !/^\d{1,15}$/.test(stepText)) throw new UsageError('--step must be a sequence number.');
    if (flag(p, 'compare') && stepText !== undefined)
      throw new UsageError('--compare and --step do not go together: compare the agents, or show one step.');
    const json = flag(p, 'json');
    const at = str(p, 'at') !== undefined ? parseTime(str(p, 'at')!, 'at') : io.now();
    const { trust, trustStoreName } = await loadTrust(io, str(p, 'trust'), list(p, 'key'));
    const bundle = p.positionals[0]!;

    const opened = await openVerified(io, bundle, { trust, trustStoreName, at, progress: !json });
    const client = new ReplayClient(nodeReplayPort(), (path, maxBytes) => opened.readEntry(path, maxBytes));
    try {
      const { report } = opened;
      const exit = STATUS_EXIT_CODE[report.status];
      if (report.status === 'malformed') {
        io.stderr.write(`exhibit replay: ${bundle} is malformed: ${report.summary}\n`);
        return exit;
      }
      const model = await openBundleModel(report, (path, maxBytes) => opened.readEntry(path, maxBytes));
      if (!model.ok)
        throw new CliError(`the approval packet of ${bundle} cannot be shown (status ${report.status}): ${model.message}`, exit);
      const { packet } = model;
      const known = new Set(report.files.filter((f) => f.result === 'ok').map((f) => f.path));
      const header = `${bundle}: status ${report.status}`;

      const indexOf = async (runAgentId: string) => {
        const paths = replayEntryPaths(packet.agents.find((a) => a.run_agent_id === runAgentId)?.replay ?? null, known);
        if (!paths.length) throw new CliError(`run agent ${runAgentId} has no intact replay in ${bundle}.`, exit || 1);
        const started = performance.now();
        const index = await client.index(runAgentId, paths);
        return { index, ms: performance.now() - started };
      };

      if (flag(p, 'compare')) {
        const [base, cand] = await Promise.all([indexOf(packet.baseline.run_agent_id), indexOf(packet.candidate.run_agent_id)]);
        const all = compareAllCases(base.index, cand.index, packet);
        const rows = all.map((c) => ({
          case_key: c.caseKey || null,
          baseline_steps: c.baseline.length,
          candidate_steps: c.candidate.length,
          first_divergence: c.firstDivergence?.description ?? null,
          resync: c.resync?.description ?? null,
          approximate: c.diff.approximate,
          baseline_verdict: c.baselineOutcome?.verdict ?? null,
          candidate_verdict: c.candidateOutcome?.verdict ?? null,
          outcome_changed: c.outcomeChanged,
        }));
        if (json) io.stdout.write(`${JSON.stringify({ status: report.status, cases: rows }, null, 2)}\n`);
        else {
          // The run-level group (steps outside any case) is not a case: counted apart.
          const cases = rows.filter((r) => r.case_key !== null);
          const runLevel = rows.find((r) => r.case_key === null);
          const runLevelNote =
            runLevel && (runLevel.first_divergence || runLevel.outcome_changed) ? '; the run-level steps diverged too' : '';
          io.stdout.write(
            `${header}\n${cases.filter((r) => r.first_divergence || r.outcome_changed).length} of ${cases.length} cases diverged or changed outcome${runLevelNote}\n`,
          );
          for (const r of rows) {
            if (!r.first_divergence && !r.outcome_changed) continue;
            const where = r.first_divergence ? `${r.first_divergence}; ${r.resync ?? 'never back in step'}` : 'same steps';
            io.stdout.write(
              `  ${r.case_key ?? '(run level)'}: ${where}; outcome ${r.baseline_verdict ?? '?'} -> ${r.candidate_verdict ?? '?'}${r.outcome_changed ? ' (changed)' : ''}\n`,
            );
          }
        }
        return exit;
      }

      const runAgentId = agentOf(packet, str(p, 'agent'));
      const { index, ms } = await indexOf(runAgentId);
      const refs = packetRefSteps(index, packet);

      if (stepText !== undefined) {
        const s = stepBySeq(index, Number(stepText));
        if (s < 0)
          throw new UsageError(
            `no such step: the replay of ${runAgentId} has no event with sequence number ${stepText} (it has ${index.eventCount} events).`,
          );
        const reader = new ReplayEventReader((path, maxBytes) => opened.readEntry(path, maxBytes), known);
        const events = await Promise.all(stepEvents(index, s).map((e) => reader.readEvent(index, e)));
        const out = {
          status: report.status,
          step: stepJson(index, s, packet, refs),
          events: events.map((e) => ({ line: e.value ?? e.text, offloaded: e.offloaded })),
        };
        if (json) io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        else {
          const st = out.step;
          io.stdout.write(
            `${header}\n${kindLabel(st.type)}${st.name ? ` ${st.name}` : ''} · ${st.status} · case ${st.case_key ?? '(run level)'} · #${st.sequence_number}${st.end_sequence_number !== null ? `-${st.end_sequence_number}` : ''}\n`,
          );
          for (const r of st.refs) io.stdout.write(`  ${r}\n`);
          for (const e of out.events)
            io.stdout.write(
              `${JSON.stringify(e.line, null, 2)}\n${e.offloaded ? `offloaded payload (${e.offloaded.path ?? 'outside the bundle'}): ${e.offloaded.error ?? e.offloaded.text}\n` : ''}`,
            );
        }
        return exit;
      }

      const filter: StepFilter = {
        ...NO_FILTER,
        caseKey: str(p, 'case') ?? null,
        kind: str(p, 'type') ?? null,
        name: str(p, 'tool') ?? null,
        status: (status as StatusFilter | undefined) ?? null,
      };
      if (filter.caseKey !== null && filter.caseKey !== '') {
        const caseKeys = new Set<string>();
        for (let s = 0; s < index.stepCount; s++) caseKeys.add(stepCase(index, s) ?? '');
        caseKeys.delete('');
        if (!caseKeys.has(filter.caseKey)) {
          const known = [...caseKeys].sort();
          throw new UsageError(
            `no case ${JSON.stringify(filter.caseKey)} in the replay of ${runAgentId}; it has ${known.length ? `${known.slice(0, 20).join(', ')}${known.length > 20 ? `, … (${known.length} in all)` : ''}` : 'no cases'}.`,
          );
        }
      }
      let steps = Array.from(filterSteps(index, filter, refs));
      const query = str(p, 'search');
      let searched: { events: number; payloadsSkipped: number } | null = null;
      if (query !== undefined) {
        const result = await client.search(index, query, known);
        const matched = new Set(Array.from(result.events, (e) => index.eventStep[e]!));
        steps = steps.filter((s) => matched.has(s));
        searched = { events: result.events.length, payloadsSkipped: result.payloadsSkipped };
      }
      const shown = steps.slice(0, limit === Infinity ? undefined : limit);
      if (json) {
        io.stdout.write(
          `${JSON.stringify(
            {
              status: report.status,
              run_agent_id: runAgentId,
              events: index.eventCount,
              steps: index.stepCount,
              index_ms: Math.round(ms),
              index_bytes: indexByteSize(index),
              findings: index.findings,
              finding_count: index.findingCount,
              matched_steps: steps.length,
              search: searched,
              listed: shown.map((s) => stepJson(index, s, packet, refs)),
            },
            null,
            2,
          )}\n`,
        );
        return exit;
      }
      io.stdout.write(`${header}\n${runAgentId}: ${index.eventCount} events, ${index.stepCount} steps, indexed in ${Math.round(ms)} ms\n`);
      if (index.findingCount) {
        io.stdout.write(`${index.findingCount} problem(s) in the replay; every line is still listed:\n`);
        for (const f of index.findings.slice(0, 10)) io.stdout.write(`  ${f.path}${f.line !== null ? `:${f.line}` : ''}: ${f.message}\n`);
      }
      if (searched)
        io.stdout.write(
          `search ${JSON.stringify(query)}: ${steps.length} matching step(s), ${searched.events} event(s)${searched.payloadsSkipped ? `; ${searched.payloadsSkipped} offloaded payloads not searched` : ''}\n`,
        );
      for (const s of shown) {
        const j = stepJson(index, s, packet, refs);
        const head = [j.name, j.output].filter(Boolean).join(' — ');
        io.stdout.write(
          `${String(j.sequence_number).padStart(8)}  ${pad(j.case_key ?? '-', 14)} ${pad(kindLabel(j.type), 16)} ${pad(head, 60)} ${pad(j.status, 11)}${j.marks.length ? ` [${j.marks.join(', ')}]` : ''}\n`,
        );
      }
      if (shown.length < steps.length) io.stdout.write(`… ${steps.length - shown.length} more (use --limit)\n`);
      return exit;
    } finally {
      client.close();
      await opened.close();
    }
  });
}
