// Runs the independent checker (test/independent/evb_check.py, written from the spec with
// Python's zipfile, hashlib and cryptography) on a bundle file.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { VERIFY_AT } from './exhibit-cli';
import { findPython } from './real-writers';

const CHECKER = join(__dirname, '../independent/evb_check.py');

/** The python3 that can run the checker, or null (then tests that need it skip). */
export const checkerPython = findPython(true);

export interface IndependentVerdict {
  status: string;
  code: number;
  findings: Array<{ severity: string; entry: string | null; message: string }>;
}

/** `evb_check.py FILE --at VERIFY_AT [args]`: its status, exit code and findings. */
export function independentCheck(file: string, args: string[] = []): IndependentVerdict {
  if (!checkerPython) throw new Error('no python3 with the cryptography package');
  const r = spawnSync(checkerPython, [CHECKER, file, '--at', VERIFY_AT, ...args], { encoding: 'utf8' });
  if (r.stdout === '') throw new Error(`evb_check.py printed nothing (exit ${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as Omit<IndependentVerdict, 'code'>;
  return { status: out.status, findings: out.findings, code: r.status ?? -1 };
}
