// Argument parsing shared by every command: node's strict parseArgs, with usage errors
// turned into one clear line and exit code 64.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { USAGE_EXIT_CODE } from '../shared/evb/report';
import type { CliIo } from './io';

export class UsageError extends Error {
  readonly exitCode = USAGE_EXIT_CODE;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export function parse(args: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(p: Parsed, name: string): string[] {
  const v = p.values[name];
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

export function required(p: Parsed, name: string): string {
  const v = str(p, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required.`);
  return v;
}

const TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/** Whether the fields of a time exist on the calendar and the clock (no 2026-02-30, no 24:00). */
function fieldsExist(m: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second, offH, offM] = [1, 2, 3, 4, 5, 6, 9, 10].map((i) => Number(m[i] ?? 0));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return (
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    offH! <= 23 &&
    offM! <= 59
  );
}

/** RFC 3339 (or a date alone, read as midnight UTC) -> Date; an impossible date is a usage error. */
export function parseTime(text: string, option: string): Date {
  const m = TIME_PATTERN.exec(text);
  if (!m) {
    throw new UsageError(`--${option} "${text}" is not a time; use RFC 3339, e.g. 2026-11-22T10:00:00Z or 2026-11-22.`);
  }
  const d = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (!fieldsExist(m) || Number.isNaN(d.getTime()))
    throw new UsageError(`--${option} "${text}" is not a valid time: no such date or time of day.`);
  return d;
}

/**
 * Runs a command body, turning UsageError into "exhibit CMD: message" + usage + 64, and
 * any other error value with a message into one line and the given exit code.
 */
export async function runCommand(io: CliIo, name: string, usageText: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`exhibit ${name}: ${e.message}\n\n${usageText}`);
      return e.exitCode;
    }
    const err = e as { message?: string; exitCode?: number };
    io.stderr.write(`exhibit ${name}: ${err.message ?? String(e)}\n`);
    return typeof err.exitCode === 'number' ? err.exitCode : 1;
  }
}

/** An error meant for the user, with the exit code to leave with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit code when an input is read but its content is wrong (sysexits EX_DATAERR). */
export const DATA_ERROR_EXIT_CODE = 65;
/** Exit code when an input file cannot be read at all (sysexits EX_NOINPUT). */
export const NO_INPUT_EXIT_CODE = 66;
/** Exit code when an output cannot be written (sysexits EX_CANTCREAT). */
export const CANT_CREATE_EXIT_CODE = 73;
