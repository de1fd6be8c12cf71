// A payload as a collapsible JSON tree. Everything is a React text child (never HTML);
// children are rendered only when their node is opened, long lists a page at a time and
// long strings cut with "show all", so a hostile payload cannot flood the page.
import { useState } from 'react';

const PAGE = 200;
const SHORT_STRING = 300;
/** Levels open at first: the payload and its objects (result, usage, arguments). */
const OPEN_DEPTH = 2;

function kindOf(v: unknown): 'object' | 'array' | 'string' | 'other' {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object' && v !== null) return 'object';
  return typeof v === 'string' ? 'string' : 'other';
}

function LongString({ text }: { text: string }) {
  const [all, setAll] = useState(false);
  if (text.length <= SHORT_STRING || all) return <span className="json-string">{JSON.stringify(text)}</span>;
  return (
    <span>
      <span className="json-string">{JSON.stringify(text.slice(0, SHORT_STRING))}…</span>{' '}
      <button type="button" className="linkish small" onClick={() => setAll(true)}>
        show all ({text.length.toLocaleString('en')} characters)
      </button>
    </span>
  );
}

function Leaf({ value }: { value: unknown }) {
  if (typeof value === 'string') return <LongString text={value} />;
  return <span className={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value) ?? String(value)}</span>;
}

function preview(v: unknown): string {
  if (Array.isArray(v)) return `[${v.length} item${v.length === 1 ? '' : 's'}]`;
  const keys = Object.keys(v as object);
  return `{${keys.length} key${keys.length === 1 ? '' : 's'}}`;
}

function Node({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  const [open, setOpen] = useState(depth < OPEN_DEPTH);
  const [shown, setShown] = useState(PAGE);
  const kind = kindOf(value);
  const label = name === null ? null : <span className="json-key">{name}: </span>;
  if (kind !== 'object' && kind !== 'array') {
    return (
      <li role="treeitem" aria-selected={false} className="json-leaf">
        {label}
        <Leaf value={value} />
      </li>
    );
  }
  const entries: Array<[string, unknown]> =
    kind === 'array' ? (value as unknown[]).slice(0, shown).map((v, i) => [String(i), v]) : Object.entries(value as object).slice(0, shown);
  const total = kind === 'array' ? (value as unknown[]).length : Object.keys(value as object).length;
  return (
    <li role="treeitem" aria-expanded={open} aria-selected={false}>
      <button
        type="button"
        className="json-toggle"
        onClick={() => setOpen((o) => !o)}
        aria-label={`${open ? 'Close' : 'Open'} ${name ?? 'payload'}`}
      >
        {open ? '▾' : '▸'}
      </button>
      {label}
      <span className="muted">{preview(value)}</span>
      {open ? (
        <ul role="group" className="json-children">
          {entries.map(([k, v]) => (
            <Node key={k} name={kind === 'array' ? `[${k}]` : JSON.stringify(k)} value={v} depth={depth + 1} />
          ))}
          {total > shown ? (
            <li role="treeitem" aria-selected={false}>
              <button type="button" className="linkish small" onClick={() => setShown((s) => s + PAGE)}>
                show {Math.min(PAGE, total - shown)} more of {total - shown}
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </li>
  );
}

export function JsonTree({ value, label }: { value: unknown; label: string }) {
  return (
    <ul role="tree" aria-label={label} className="json-tree">
      <Node name={null} value={value} depth={0} />
    </ul>
  );
}

/** The value as indented JSON text, or the text as written when it cannot be (deep or not JSON). */
export function jsonText(value: unknown, raw: string): string {
  if (value === undefined) return raw;
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return raw;
  }
}
