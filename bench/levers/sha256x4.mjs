// Builds bench/levers/sha256x4.c with clang (wasm32, -O3 -msimd128), checks its digests
// against node:crypto, and prints its aggregate rate over four 16 MiB streams beside
// hash-wasm's on one, best of three each. Run: node bench/levers/sha256x4.mjs
import { createHash } from 'node:crypto';
import { createSHA256 } from 'hash-wasm';
import { buildLever } from './clang-wasm.mjs';

const x = await buildLever('sha256x4', 83886080);
const base = x.heap_base();
const view = () => new DataView(x.memory.buffer);
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** Four messages of 1000-1003 bytes, padded by hand to 1024, against node:crypto. */
const messages = [0, 1, 2, 3].map((i) => Uint8Array.from({ length: 1000 + i }, (_, j) => (j * 31 + i * 7) & 255));
for (let w = 0; w < 8; w++) for (let lane = 0; lane < 4; lane++) view().setUint32(base + w * 16 + lane * 4, IV[w], true);
messages.forEach((m, i) => {
  const padded = new Uint8Array(1024);
  padded.set(m);
  padded[m.length] = 0x80;
  new DataView(padded.buffer).setUint32(1020, m.length * 8);
  new Uint8Array(x.memory.buffer).set(padded, base + 1024 + i * 1024);
});
x.compress4(base, base + 1024, base + 2048, base + 3072, base + 4096, 16);
messages.forEach((m, lane) => {
  let hex = '';
  for (let w = 0; w < 8; w++)
    hex += view()
      .getUint32(base + w * 16 + lane * 4, true)
      .toString(16)
      .padStart(8, '0');
  if (hex !== createHash('sha256').update(m).digest('hex')) throw new Error(`lane ${lane}: wrong digest`);
});

const N = 16 << 20;
const data = base + 8192;
const best = (f) => Math.min(...[0, 1, 2].map(() => ((t) => (f(), performance.now() - t))(performance.now())));
const four = best(() => {
  for (let o = 0; o < N; o += 262144) x.compress4(base, data + o, data + N + o, data + 2 * N + o, data + 3 * N + o, 4096);
});
const h = await createSHA256();
const bytes = new Uint8Array(x.memory.buffer, data, N);
const one = best(() => {
  h.init();
  for (let o = 0; o < N; o += 262144) h.update(bytes.subarray(o, o + 262144));
  h.digest();
});
console.log(
  `four streams, WebAssembly SIMD: ${((4 * N) / four / 1000).toFixed(0)} MB/s together; hash-wasm, one stream: ${(N / one / 1000).toFixed(0)} MB/s`,
);
