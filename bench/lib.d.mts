// Types of what bench/lib.mjs exports, for the TypeScript benches.
export const root: string;
export const work: string;
export const RUNS: number;
export function generate(kind: string): string;
export function buildCli(): string;
export const pad: (s: unknown, n: number) => string;
