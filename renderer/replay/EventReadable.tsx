// A model call or a tool call read as a person reads it (as the Inspect log viewer shows
// them): the model's messages and output, the calls it asked for; a tool's name, its
// arguments and its result. Only fields of the AgentClash payloads (model.call.*,
// tool.call.*; see docs of agentclash-facts) are read; anything else is left to the JSON tree.
import type { ReactNode } from 'react';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Text as written, or a JSON string pretty-printed when it parses. */
function pretty(v: unknown): string {
  if (typeof v === 'string') {
    try {
      const parsed: unknown = JSON.parse(v);
      if (typeof parsed === 'object' && parsed !== null) return JSON.stringify(parsed, null, 2);
    } catch {
      // Not JSON: shown as written.
    }
    return v;
  }
  return JSON.stringify(v, null, 2) ?? String(v);
}

function Message({ role, children }: { role: string; children: ReactNode }) {
  return (
    <div className={`msg msg-${role.replace(/[^a-z]/g, '')}`}>
      <div className="msg-role small">{role}</div>
      <div className="msg-body">{children}</div>
    </div>
  );
}

/** A message's content: a string, or the text parts of a list of content parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (isObj(p) && typeof p.text === 'string' ? p.text : pretty(p))).join('\n');
  return pretty(content);
}

function ModelCall({ p }: { p: Obj }) {
  const model = [str(p.provider_key), str(p.provider_model_id)].filter(Boolean).join(' · ');
  const messages = Array.isArray(p.messages) ? p.messages.filter(isObj) : [];
  const calls = Array.isArray(p.tool_calls) ? p.tool_calls.filter(isObj) : [];
  const usage = isObj(p.usage) ? p.usage : null;
  return (
    <div className="readable">
      <p className="small">
        Model <span className="mono">{model || 'not named'}</span>
        {str(p.purpose) ? ` · ${str(p.purpose)}` : ''}
        {str(p.finish_reason) ? ` · finished: ${str(p.finish_reason)}` : ''}
        {usage ? ` · ${String(usage.input_tokens ?? '—')} tokens in, ${String(usage.output_tokens ?? '—')} out` : ''}
      </p>
      {messages.map((m, i) => (
        <Message key={i} role={str(m.role) ?? 'message'}>
          <pre className="payload-text">{contentText(m.content)}</pre>
        </Message>
      ))}
      {str(p.output_text) ? (
        <Message role="assistant">
          <pre className="payload-text">{str(p.output_text)}</pre>
        </Message>
      ) : null}
      {calls.map((c, i) => (
        <Message key={`c${i}`} role="tool call">
          <span className="mono">{str(c.name) ?? '(unnamed tool)'}</span>
          <pre className="payload-text">{pretty(c.arguments)}</pre>
        </Message>
      ))}
    </div>
  );
}

function ToolCall({ p, type }: { p: Obj; type: string }) {
  const result = isObj(p.result) ? p.result : null;
  const failed = type === 'tool.call.failed' || result?.is_error === true;
  return (
    <div className="readable">
      <Message role="tool call">
        <span className="mono">{str(p.tool_name) ?? '(unnamed tool)'}</span>
        {str(p.tool_category) ? <span className="muted small"> · {str(p.tool_category)}</span> : null}
        {'arguments' in p ? <pre className="payload-text">{pretty(p.arguments)}</pre> : null}
      </Message>
      {result || str(p.error) || str(p.failure_origin) ? (
        <Message role={failed ? 'tool error' : 'tool result'}>
          {str(p.failure_origin) ? <p className="small fail-text">Failed: {str(p.failure_origin)}</p> : null}
          {str(p.error) ? <pre className="payload-text">{str(p.error)}</pre> : null}
          {result && 'content' in result ? <pre className="payload-text">{contentText(result.content)}</pre> : null}
        </Message>
      ) : null}
    </div>
  );
}

/** Whether an event of this type with this payload has a readable form. */
export function hasReadable(type: string, payload: unknown): boolean {
  return isObj(payload) && (type.startsWith('model.call.') || type.startsWith('tool.call.'));
}

export function EventReadable({ type, payload }: { type: string; payload: unknown }) {
  if (!isObj(payload)) return null;
  return type.startsWith('model.call.') ? <ModelCall p={payload} /> : <ToolCall p={payload} type={type} />;
}
