// The rules for reading a replay, in one place: which bundle entries make up a run agent's
// replay, what an event line must hold to be an event, how an event is classified (its
// family, phase, name, flags) and the one-line headline a person reads for it. The replay
// index (the Replay tab, `exhibit replay`) and the stakeholder slices' observations both
// read replays through these rules, so they count the same events.
//
// Every byte is an attacker's: strings are bounded, and control characters and bidi
// overrides are folded to spaces before a line is shown.

/** Event flags (ReplayIndex.flags). */
export const EVENT_FAILED = 1;
export const EVENT_POLICY = 2;
export const EVENT_FALLBACK = 4;
export const EVENT_SANDBOX_FAILED = 8;
export const EVENT_OFFLOADED = 16;
export const EVENT_UNKNOWN_TYPE = 32;
export const EVENT_UNREADABLE = 64;

/** Most characters of a name (tool, model, command...). */
const MAX_NAME = 120;
/** Most characters of an event's output line. */
const MAX_OUTPUT = 160;
/** Most characters of a headline (ObservedStep.headline). */
const MAX_HEADLINE = 160;

/** AgentClash's event types (runtime/runevents) plus EVB's and the grader's; others are generic events. */
const KNOWN_TYPES = new Set([
  'system.run.started',
  'system.run.completed',
  'system.run.failed',
  'system.output.finalized',
  'system.step.started',
  'system.step.completed',
  'model.call.started',
  'model.call.completed',
  'model.output.delta',
  'model.tool_calls.proposed',
  'tool.call.started',
  'tool.call.completed',
  'tool.call.failed',
  'sandbox.command.started',
  'sandbox.command.completed',
  'sandbox.command.failed',
  'sandbox.file.read',
  'sandbox.file.written',
  'sandbox.file.listed',
  'scoring.started',
  'scoring.metric.recorded',
  'scoring.completed',
  'scoring.failed',
  'model.routing.fallback',
  'grader.verification.started',
  'grader.verification.completed',
  'grader.verification.failed',
  'grader.verification.file_captured',
  'grader.verification.directory_listed',
  'grader.verification.code_executed',
  'race.standings.injected',
  'turn.user.message',
  'turn.user.simulated',
  'turn.assistant.message',
  'turn.completed',
  'turn.awaiting_human',
  'turn.state.captured',
  'conversation.completed',
]);

/** The families whose `.started` opens a step that `.completed` / `.failed` closes. */
const PAIRED_FAMILIES = new Set([
  'system.run',
  'system.step',
  'model.call',
  'tool.call',
  'sandbox.command',
  'scoring',
  'grader.verification',
]);

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A non-empty string, bounded to `max` characters (an ellipsis marks the cut); else null. */
export const str = (v: unknown, max = MAX_NAME): string | null =>
  typeof v === 'string' && v !== '' ? (v.length > max ? `${v.slice(0, max - 1)}…` : v) : null;
/** A token count: finite and not negative; NaN otherwise. */
export const tokens = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : NaN);

/** Control characters (Cc: U+0000-U+001F, U+007F-U+009F), line and paragraph separators and bidi overrides: folded to a space before text is shown. */
const UNSHOWABLE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]+/gu;

function bounded(line: string, max: number): string {
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The first non-blank line of a text, unshowable characters folded to spaces, bounded. */
export function firstLine(text: string, max = MAX_OUTPUT): string {
  const slice = text.length > 4 * max ? text.slice(0, 4 * max) : text;
  for (const raw of slice.split('\n')) {
    const line = raw.replace(UNSHOWABLE, ' ').trim();
    if (line) return bounded(line, max);
  }
  return '';
}

/** A whole text as one line, unshowable characters (newlines included) folded to spaces, bounded. */
function oneLine(text: string, max = MAX_HEADLINE): string {
  const slice = text.length > 4 * max ? text.slice(0, 4 * max) : text;
  return bounded(slice.replace(UNSHOWABLE, ' ').trim(), max);
}

/** `tool.call` of `tool.call.completed`; the family a step is paired in. */
export function familyOf(type: string): string {
  const dot = type.lastIndexOf('.');
  return dot > 0 ? type.slice(0, dot) : type;
}

/** Whether an event opens a step, closes one, or stands alone. */
export function phaseOf(type: string): 'start' | 'end' | 'lone' {
  const family = familyOf(type);
  if (!PAIRED_FAMILIES.has(family)) return 'lone';
  const last = type.slice(family.length + 1);
  if (last === 'started') return 'start';
  if (last === 'completed' || last === 'failed') return 'end';
  return 'lone';
}

/** An event line that is an event envelope: an object with an event_type and an integer sequence_number. */
export interface Envelope {
  e: Obj;
  type: string;
  seq: number;
  /** Its payload, or an empty object. */
  p: Obj;
}

/**
 * Reads one line as an event. `undefined` when it is not JSON; an object without `ok`
 * when it is JSON but not an event envelope (its sequence number kept when it has one).
 */
export function readEnvelope(text: string): { ok: true; env: Envelope } | { ok: false; json: boolean; seq: number | null } {
  let e: unknown;
  try {
    e = JSON.parse(text);
  } catch {
    return { ok: false, json: false, seq: null };
  }
  if (!isObj(e)) return { ok: false, json: true, seq: null };
  const type = str(e.event_type, 200);
  const seq = typeof e.sequence_number === 'number' && Number.isSafeInteger(e.sequence_number) ? e.sequence_number : null;
  if (type === null || seq === null) return { ok: false, json: true, seq };
  return { ok: true, env: { e, type, seq, p: isObj(e.payload) ? e.payload : {} } };
}

/** The case an event belongs to: payload.case_key, else summary.case_key; null for run-level events. */
export function caseKeyOf(env: Envelope): string | null {
  return str(env.p.case_key, 200) ?? (isObj(env.e.summary) ? str(env.e.summary.case_key, 200) : null);
}

/** The event's flags (EVENT_*), from its type and payload. */
export function eventFlags(type: string, p: Obj): number {
  let flags = 0;
  if (!KNOWN_TYPES.has(type)) flags |= EVENT_UNKNOWN_TYPE;
  if (typeof p.$ref === 'string') flags |= EVENT_OFFLOADED;
  if (type.endsWith('.failed')) flags |= EVENT_FAILED;
  if (type === 'tool.call.failed' && p.failure_origin === 'policy') flags |= EVENT_POLICY;
  if (type === 'sandbox.command.failed') flags |= EVENT_SANDBOX_FAILED;
  if (type === 'model.routing.fallback') flags |= EVENT_FALLBACK;
  return flags;
}

/** The event's tool, model, command, step title or validator: what it is "of"; null when none. */
export function nameOf(type: string, p: Obj): string | null {
  const tool = str(p.tool_name);
  if (tool) return tool;
  if (type.startsWith('model.') && type !== 'model.routing.fallback') {
    const model = str(p.provider_model_id) ?? str(p.model);
    const provider = str(p.provider_key);
    if (model) return provider ? `${provider}/${model}` : model;
  }
  if (type === 'model.routing.fallback') return str(p.to_model);
  if (type.startsWith('sandbox.')) return str(p.command) ?? str(p.path);
  if (type.startsWith('system.step.')) {
    const title = str(p.title);
    if (title) return title;
    return typeof p.step_index === 'number' && Number.isSafeInteger(p.step_index) ? `step ${p.step_index}` : null;
  }
  return str(p.validator_key) ?? str(p.metric_key) ?? str(p.subagent_label);
}

/** The first line of what the event produced (model text, tool result, stdout, error), bounded. */
export function outputOf(type: string, p: Obj): string {
  if (type === 'model.routing.fallback') {
    const parts = [`${str(p.from_model) ?? '?'} → ${str(p.to_model) ?? '?'}`, str(p.reason, 4 * MAX_OUTPUT)].filter(Boolean);
    return firstLine(parts.join(': '));
  }
  const result = isObj(p.result) ? p.result : null;
  const candidates = [
    p.error_message,
    p.error,
    p.output_text,
    result?.content,
    p.stderr,
    p.stdout,
    p.final_output,
    p.reason,
    p.verdict,
    p.text,
  ];
  for (const c of candidates) {
    if (typeof c === 'string' && c.trim() !== '') return firstLine(c);
  }
  if (typeof p.exit_code === 'number' && Number.isFinite(p.exit_code)) return `exit ${p.exit_code}`;
  return '';
}

/** The kinds of event the stakeholder slices list one by one. */
export type NotableKind = 'policy' | 'toolFailure' | 'sandboxFailure' | 'fallback';

/** Whether an event with these flags and type is one the slices list, and as what. */
export function notableKind(type: string, flags: number): NotableKind | null {
  if (flags & EVENT_POLICY) return 'policy';
  if (flags & EVENT_SANDBOX_FAILED) return 'sandboxFailure';
  if (flags & EVENT_FALLBACK) return 'fallback';
  if (type === 'tool.call.failed') return 'toolFailure';
  return null;
}

/** The one-line headline of a notable event, e.g. `http_request blocked by policy`. */
export function notableHeadline(kind: NotableKind, p: Obj): string {
  const tool = str(p.tool_name);
  const origin = str(p.failure_origin);
  switch (kind) {
    case 'policy':
      return oneLine(`${tool ?? 'tool call'} blocked by policy`);
    case 'toolFailure':
      return oneLine(`${tool ?? 'tool call'} failed${origin ? ` (${origin})` : ''}`);
    case 'sandboxFailure': {
      const exit = typeof p.exit_code === 'number' && Number.isFinite(p.exit_code) && p.exit_code >= 0 ? ` with exit ${p.exit_code}` : '';
      return oneLine(`sandbox command failed${exit}: ${str(p.command, 4 * MAX_HEADLINE) ?? ''}`);
    }
    case 'fallback': {
      const reason = str(p.reason, 4 * MAX_HEADLINE);
      return oneLine(`fell back from ${str(p.from_model) ?? '?'} to ${str(p.to_model) ?? '?'}${reason ? ` (${reason})` : ''}`);
    }
  }
}

/** The host a tool call's `arguments.url` names (lowercase, no port), or null. */
export function hostOf(type: string, p: Obj): string | null {
  if (!type.startsWith('tool.call.') || !isObj(p.arguments)) return null;
  const url = p.arguments.url;
  if (typeof url !== 'string' || url.length > 2048) return null;
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

/** A chunk of a chunk folder: `<first sequence number, 10 digits>.jsonl` (spec 4.2). */
const CHUNK_NAME = /^\d{10}\.jsonl$/;

/** The first sequence number a chunk's name says, or null when the path is not a chunk. */
export function chunkFirstSeq(path: string): number | null {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  return CHUNK_NAME.test(name) ? Number(name.slice(0, 10)) : null;
}

/**
 * The entry paths of an agent's replay among the bundle's intact files: the file itself, or
 * a chunk folder's `<10 digits>.jsonl` chunks sorted by name (other files there are not part of it).
 */
export function replayEntryPaths(replay: string | null | undefined, files: Iterable<string>): string[] {
  if (!replay) return [];
  const list = [...files];
  if (replay.endsWith('/')) return list.filter((p) => p.startsWith(replay) && CHUNK_NAME.test(p.slice(replay.length))).sort();
  return list.includes(replay) ? [replay] : [];
}
