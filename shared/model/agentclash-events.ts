// AgentClash run event exports (`agentclash run events export <runId>`, JSONL of canonical
// envelopes, schema 2026-03-15): parsed line by line, split into one replay per run agent,
// offload stubs that name no exported file replaced by a marked note, and the facts the
// packet needs (deployment type, provider failures, tools and models used) read out.

import type { AgentClashProviderFailure, EvidenceTier } from './packet-types';
import { ImportError, isObj, str } from './agentclash-common';
import type { Obj } from './agentclash-common';

const EVENT_SCHEMA = '2026-03-15';
const CHUNK_ABOVE = 10_000;
const CHUNK_SIZE = 5_000;

export interface Event {
  run_id: string;
  run_agent_id: string;
  sequence_number: number;
  event_type: string;
  source: string;
  payload: Obj;
  line: string;
  file: string;
  lineNo: number;
}

/** An offload stub (runevents.PayloadRef): exactly {"$ref","bytes","type"}, $ref under run-events/. */
function offloadStub(payload: Obj): { ref: string; bytes: number; type: string } | null {
  const keys = Object.keys(payload);
  if (keys.length !== 3 || !keys.includes('$ref') || !keys.includes('bytes') || !keys.includes('type')) return null;
  const ref = str(payload.$ref);
  const type = str(payload.type);
  const bytes = payload.bytes;
  if (!ref || !type || typeof bytes !== 'number' || bytes <= 0) return null;
  if (!ref.startsWith('run-events/') || !ref.endsWith('.json') || ref.includes('..')) return null;
  return { ref, bytes, type };
}

/** Parses every export; each event must belong to one of `runIds`. */
export function parseEvents(files: Array<{ file: string; text: string }>, runIds: ReadonlySet<string>): Event[] {
  const out: Event[] = [];
  for (const f of files) {
    f.text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `line ${i + 1}`;
      let e: unknown;
      try {
        e = JSON.parse(line);
      } catch {
        throw new ImportError(f.file, where, 'is not JSON.');
      }
      if (!isObj(e)) throw new ImportError(f.file, where, 'is not a JSON object.');
      if (e.schema_version !== EVENT_SCHEMA)
        throw new ImportError(
          f.file,
          `${where} schema_version`,
          `is ${JSON.stringify(e.schema_version)}; expected the canonical envelope schema ${EVENT_SCHEMA}.`,
        );
      const runId = str(e.run_id);
      const ra = str(e.run_agent_id);
      const seq = e.sequence_number;
      if (!runId || !ra || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || !str(e.event_type)) {
        throw new ImportError(f.file, where, 'lacks run_id, run_agent_id, a positive integer sequence_number or event_type.');
      }
      if (!runIds.has(runId))
        throw new ImportError(
          f.file,
          `${where} run_id`,
          `is "${runId}", which is neither the candidate's nor the baseline's run: events of another run?`,
        );
      const payload = isObj(e.payload) ? e.payload : {};
      out.push({
        run_id: runId,
        run_agent_id: ra,
        sequence_number: seq,
        event_type: e.event_type as string,
        source: str(e.source) ?? '',
        payload,
        line,
        file: f.file,
        lineNo: i + 1,
      });
    });
  }
  return out;
}

export interface OffloadNote {
  run_agent_id: string;
  sequence_number: number;
  ref: string;
  bytes: number;
  type: string;
}

/**
 * The replay line of an event: verbatim, except that an offload stub (its $ref names an object
 * in AgentClash's store, not a file of the export) is replaced by a note saying so, keeping
 * the stub's facts, so no `$ref` names a file the bundle lacks (spec 4.2).
 */
function replayLine(e: Event, notes: OffloadNote[], caseKey: string | null): string {
  const stub = offloadStub(e.payload);
  if (!stub) return e.line;
  notes.push({ run_agent_id: e.run_agent_id, sequence_number: e.sequence_number, ...stub });
  const parsed = JSON.parse(e.line) as Obj;
  parsed.payload = {
    // The started event's case, so the call still pairs with its start in a case-scoped run.
    ...(caseKey ? { case_key: caseKey } : {}),
    exhibit_offloaded_payload: {
      note: 'AgentClash offloaded this payload to its object store; the export does not contain it, so Exhibit dropped the stub.',
      upstream_ref: stub.ref,
      bytes: stub.bytes,
      type: stub.type,
    },
  };
  return JSON.stringify(parsed);
}

/** One agent's replay files: data/replays/<ra>.jsonl, or chunks above 10,000 events. */
export function splitReplay(runAgentId: string, events: Event[], notes: OffloadNote[]): Map<string, Uint8Array> {
  const enc = new TextEncoder();
  const sorted = [...events].sort((a, b) => a.sequence_number - b.sequence_number);
  for (let i = 1; i < sorted.length; i++) {
    const e = sorted[i]!;
    if (e.sequence_number === sorted[i - 1]!.sequence_number) {
      throw new ImportError(e.file, `line ${e.lineNo} sequence_number`, `${e.sequence_number} appears twice for run agent ${runAgentId}.`);
    }
  }
  const openCase = new Map<string, string | null>();
  const lines = sorted.map((e) => {
    const family = e.event_type.replace(/\.(started|completed|failed)$/, '');
    if (e.event_type.endsWith('.started')) openCase.set(family, str(e.payload.case_key));
    return `${replayLine(e, notes, openCase.get(family) ?? null)}\n`;
  });
  const out = new Map<string, Uint8Array>();
  if (sorted.length <= CHUNK_ABOVE) {
    out.set(`data/replays/${runAgentId}.jsonl`, enc.encode(lines.join('')));
    return out;
  }
  for (let i = 0; i < sorted.length; i += CHUNK_SIZE) {
    const name = String(sorted[i]!.sequence_number).padStart(10, '0');
    out.set(`data/replays/${runAgentId}/${name}.jsonl`, enc.encode(lines.slice(i, i + CHUNK_SIZE).join('')));
  }
  return out;
}

/** The deployment_type recorded in the agent's system.run.started event, if any. */
export function recordedDeploymentType(events: Event[]): 'native' | 'hosted_external' | null {
  for (const e of events) {
    if (e.event_type !== 'system.run.started') continue;
    const t = e.payload.deployment_type;
    if (t === 'native' || t === 'hosted_external') return t;
  }
  return null;
}

/** AgentClash's evidence-tier rule (re-derived upstream too; never stored on runs). */
export function deriveEvidenceTier(deploymentType: 'native' | 'hosted_external' | null, events: Event[]): EvidenceTier {
  if (deploymentType === 'native') return 'native_structured';
  if (events.length === 0) return 'none';
  if (deploymentType === 'hosted_external') {
    const structured = events.some(
      (e) => /^(model\.call\.|tool\.call\.|sandbox\.command\.)/.test(e.event_type) || e.event_type === 'system.output.finalized',
    );
    return structured ? 'hosted_structured' : 'hosted_black_box';
  }
  return 'derived_summary';
}

/** A provider failure as the packet's agentclash section records it. */
type ProviderFailure = AgentClashProviderFailure;

/** system.run.failed events that carry a provider_failure. */
export function providerFailures(events: Event[], roleOf: (ra: string) => ProviderFailure['role']): ProviderFailure[] {
  return events
    .filter((e) => e.event_type === 'system.run.failed' && isObj(e.payload.provider_failure))
    .map((e) => {
      const f = e.payload.provider_failure as Obj;
      return {
        run_agent_id: e.run_agent_id,
        role: roleOf(e.run_agent_id),
        sequence_number: e.sequence_number,
        error: str(e.payload.error),
        provider_key: str(f.provider_key),
        code: str(f.code),
        retryable: typeof f.retryable === 'boolean' ? f.retryable : null,
        message: str(f.message),
      };
    });
}

/** Tool names used (tool.call.* events) and provider/model pairs called. */
export function toolsAndModels(events: Event[]): { tools: string[]; models: string[] } {
  const tools = new Set<string>();
  const models = new Set<string>();
  for (const e of events) {
    if (e.event_type.startsWith('tool.call.')) {
      const t = str(e.payload.tool_name);
      if (t) tools.add(t);
    }
    if (e.event_type === 'model.call.completed') {
      const m = [str(e.payload.provider_key), str(e.payload.provider_model_id) ?? str(e.payload.model)].filter(Boolean).join('/');
      if (m) models.add(m);
    }
  }
  return { tools: [...tools].sort(), models: [...models].sort() };
}
