// Builds bench/levers/sha256simd.c with clang (wasm32, -O3 -msimd128), checks its digests
// against node:crypto for every length up to 300 bytes and for 1 MiB, and prints its rate
// on one 16 MiB stream beside hash-wasm's, the best of 15 alternating runs each.
// Run: node bench/levers/sha256simd.mjs
import { createHash, randomBytes } from 'node:crypto';
import { createSHA256 } from 'hash-wasm';
import { buildLever } from './clang-wasm.mjs';

const x = await buildLever('sha256simd', 33554432);
const base = x.heap_base();
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const data = base + 64;

/** SHA-256 of `m` (padded here, FIPS 180-4 5.1.1) by the SIMD-schedule compress function. */
function digest(m) {
  const blocks = Math.ceil((m.length + 9) / 64);
  const padded = new Uint8Array(blocks * 64);
  padded.set(m);
  padded[m.length] = 0x80;
  new DataView(padded.buffer).setUint32(padded.length - 4, m.length * 8);
  new Uint8Array(x.memory.buffer).set(padded, data);
  const view = new DataView(x.memory.buffer);
  IV.forEach((v, i) => view.setUint32(base + i * 4, v, true));
  x.compress(base, data, blocks);
  return IV.map((_, i) =>
    view
      .getUint32(base + i * 4, true)
      .toString(16)
      .padStart(8, '0'),
  ).join('');
}
for (const m of [...Array.from({ length: 301 }, (_, n) => randomBytes(n)), randomBytes(1 << 20)])
  if (digest(m) !== createHash('sha256').update(m).digest('hex')) throw new Error(`wrong digest for ${m.length} bytes`);

const N = 16 << 20;
new Uint8Array(x.memory.buffer).set(randomBytes(N), data);
const time = (f) => ((t) => (f(), performance.now() - t))(performance.now());
const h = await createSHA256();
const bytes = new Uint8Array(x.memory.buffer, data, N);
const simd = () => {
  for (let o = 0; o < N; o += 262144) x.compress(base, data + o, 4096);
};
const one = () => {
  h.init();
  for (let o = 0; o < N; o += 262144) h.update(bytes.subarray(o, o + 262144));
  h.digest();
};
// Alternating, so that the machine's drift falls on both alike; the best of each.
const times = { simd: [], one: [] };
for (let k = 0; k < 15; k++) {
  times.simd.push(time(simd));
  times.one.push(time(one));
}
const rate = (ts) => (N / Math.min(...ts) / 1000).toFixed(0);
console.log(`SIMD schedule: ${rate(times.simd)} MB/s; hash-wasm: ${rate(times.one)} MB/s (best of 15, alternating)`);
