// Builds a lever's C file in this folder to WebAssembly with clang (-O3, SIMD; needs clang
// with the wasm32 target: apt-get install -y clang lld) into bench/.work/levers, and
// instantiates it. Used by sha256x4.mjs and sha256simd.mjs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

/** The exports of bench/levers/NAME.c built with `memoryBytes` of initial memory. */
export async function buildLever(name, memoryBytes) {
  const out = join(root, 'bench/.work/levers');
  mkdirSync(out, { recursive: true });
  const wasm = join(out, `${name}.wasm`);
  const flags = ['-O3', '-msimd128', '-nostdlib', '-Wl,--no-entry', `-Wl,--initial-memory=${memoryBytes}`];
  execFileSync('clang', ['--target=wasm32', ...flags, '-o', wasm, join(root, `bench/levers/${name}.c`)]);
  const { instance } = await WebAssembly.instantiate(readFileSync(wasm), {});
  return instance.exports;
}
