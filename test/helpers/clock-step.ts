// A replay recorded across a wall-clock step backwards (an NTP correction, a VM resumed
// from a snapshot). AgentClash stamps each event's occurred_at with the worker's wall clock
// (`time.Now().UTC()`, which drops Go's monotonic reading: recordEvent in
// backend/internal/worker/native_event_observer.go @ 439e20ba), while sequence_number is
// assigned at insert as MAX+1 (RecordRunEvent in backend/internal/repository/repository.go),
// so a clock set back between a model call's started and completed events gives a step
// whose end is timed before its start, and every later event keeps the stepped-back clock.
// The importer writes a run agent's replay in sequence order (agentclash-events.ts), as the
// demo does.
import type { BagFiles } from '../../shared/evb/writer';

/** A case both runs of the demo take step for step: its steps pair up on equal rows of the compare view. */
export const STEPPED_CASE = 'refund-01';

/**
 * `payload` with the clock of `runAgentId`'s replay set back by `backMs` just before the
 * event numbered `fromSeq`: that event and every later one are timed `backMs` earlier.
 */
export function withClockSteppedBack(payload: BagFiles, runAgentId: string, fromSeq: number, backMs: number): BagFiles {
  const out = new Map(payload);
  const path = `data/replays/${runAgentId}.jsonl`;
  const text = new TextDecoder().decode(payload.get(path)!);
  const lines = text
    .trimEnd()
    .split('\n')
    .map((line) => {
      const e = JSON.parse(line) as { sequence_number: number; occurred_at: string };
      if (e.sequence_number < fromSeq) return line;
      return JSON.stringify({ ...e, occurred_at: new Date(Date.parse(e.occurred_at) - backMs).toISOString() });
    });
  const edited = `${lines.join('\n')}\n`;
  if (edited === text) throw new Error(`no event of ${path} is numbered ${fromSeq} or later`);
  out.set(path, new TextEncoder().encode(edited));
  return out;
}
