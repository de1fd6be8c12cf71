// Small helpers the AgentClash importer modules share: the input type, the error that names
// file and field, and tolerant readers for untrusted JSON.

/** An input file, parsed, with its name for messages. */
export interface Parsed<T = unknown> {
  file: string;
  doc: T;
}

/** A problem with the inputs, naming the file and the field (or line). */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field ? `${field} ` : ''}${message}`);
    this.name = 'ImportError';
  }
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
export const obj = (v: unknown): Obj => (isObj(v) ? v : {});

/** The value at a dotted path, or undefined. */
export function field(p: Parsed | undefined, path: string): unknown {
  let v: unknown = p?.doc;
  for (const k of path.split('.')) v = isObj(v) && Object.prototype.hasOwnProperty.call(v, k) ? v[k] : undefined;
  return v;
}

/** An RFC 3339 time string, or null. */
export function time(v: unknown): string | null {
  const s = str(v);
  return s && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) ? s : null;
}
