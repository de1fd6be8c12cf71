// The web verifier's candidate levers (docs/web-performance.md) measured one at a time in a dedicated worker, as the verifier
// runs: SHA-256 (WebCrypto, the project's TypeScript, hash-wasm's WebAssembly), CRC-32
// (TypeScript, WebAssembly), raw inflate (bare DecompressionStream, the web port's wrapper,
// pako's JavaScript, zlib in WebAssembly as web-zlib.ts ships it) and File reads by slice;
// and the `floor` rates: the entry workers' own primitives on a bundle's real bytes.
// Imports nothing from renderer/host.
/// <reference lib="webworker" />
import { createCRC32, createSHA256 } from 'hash-wasm';
import pako from 'pako';
import { Sha256Stream } from '../../shared/platform/sha256';
import { crc32 } from '../../shared/platform/crc32';
import { webInflateRaw, webPlatform } from '../../shared/platform/web';
import { loadWasmZlib } from '../../shared/platform/web-zlib';
import type { WasmZlib } from '../../shared/platform/web-zlib';
import { READ_PIECE } from '../../shared/platform/web-blob';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const MiB = 1024 * 1024;

function randomBytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** JSONL like the large bundle's replay chunks (compresses about 10:1). */
function jsonl(n: number): Uint8Array {
  const enc = new TextEncoder();
  const out = new Uint8Array(n);
  let at = 0;
  for (let seq = 1; at < n; seq++) {
    const line = enc.encode(
      `{"event_id":"persisted:ra-candidate:${seq}","sequence_number":${seq},"event_type":"model.call.completed","payload":{"case_key":"case-${seq % 97}","output_text":"The customer asked about order ${(seq * 7919) % 100000}; I checked the status and replied.","usage":{"input_tokens":${seq % 3000},"output_tokens":${seq % 400}}}}\n`,
    );
    out.set(line.subarray(0, Math.min(line.length, n - at)), at);
    at += line.length;
  }
  return out;
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(
    await new Response(
      new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw')),
    ).arrayBuffer(),
  );
}

/** Runs `fn` over `bytes` of input until at least `minMs` passed; MB/s (10^6) and ms per call. */
async function rate(bytes: number, fn: () => Promise<unknown> | unknown, minMs = 1500): Promise<{ mbps: number; msPerCall: number }> {
  await fn();
  let calls = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) {
    await fn();
    calls++;
  }
  const ms = (performance.now() - t0) / calls;
  return { mbps: bytes / 1e6 / (ms / 1000), msPerCall: ms };
}

async function sha(piece: number) {
  const data = randomBytes(piece);
  const wasm = await createSHA256();
  const total = piece < MiB ? 16 * MiB : 64 * MiB;
  const n = total / piece;
  return {
    piece,
    webcrypto: await rate(total, async () => {
      for (let i = 0; i < n; i++) await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
    }),
    // Eight digests in flight at once: WebCrypto runs off the worker's thread.
    webcrypto8: await rate(total, async () => {
      const all: Promise<ArrayBuffer>[] = [];
      for (let i = 0; i < n; i++) all.push(crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
      await Promise.all(all);
    }),
    // One digest per piece, as per entry (a stream over many pieces runs at the same speed).
    js: await rate(total, () => {
      for (let i = 0; i < n; i++) new Sha256Stream().update(data).digest();
    }),
    wasm: await rate(total, () => {
      for (let i = 0; i < n; i++) {
        wasm.init();
        wasm.update(data);
        wasm.digest('binary');
      }
    }),
  };
}

async function crc(piece: number) {
  const data = randomBytes(piece);
  const wasm = await createCRC32();
  return {
    piece,
    js: await rate(piece, () => crc32(data, 0)),
    wasm: await rate(piece, () => {
      wasm.init();
      wasm.update(data);
      wasm.digest('binary');
    }),
  };
}

async function bareInflate(compressed: Uint8Array): Promise<number> {
  const out = await new Response(
    new Blob([compressed as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw')),
  ).arrayBuffer();
  return out.byteLength;
}

async function bareInflateChunks(compressed: Uint8Array, chunk: number): Promise<number> {
  const ds = new DecompressionStream('deflate-raw');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  const pump = (async () => {
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return n;
      n += value.length;
    }
  })();
  for (let at = 0; at < compressed.length; at += chunk) await writer.write(compressed.subarray(at, at + chunk) as Uint8Array<ArrayBuffer>);
  await writer.close();
  return pump;
}

async function portInflate(compressed: Uint8Array, size: number, chunk: number): Promise<number> {
  const s = webInflateRaw(size);
  let n = 0;
  for (let at = 0; at < compressed.length; at += chunk) for (const o of await s.push(compressed.subarray(at, at + chunk))) n += o.length;
  for (const o of await s.finish()) n += o.length;
  return n;
}

/** zlib in WebAssembly as the entry workers run it: a synchronous stream fed `chunk` bytes at a time. */
function wasmStreamInflate(zlib: WasmZlib, compressed: Uint8Array, chunk: number): number {
  const s = zlib.inflateStream();
  let n = 0;
  try {
    for (let at = 0; at < compressed.length; at += chunk) s.push(compressed.subarray(at, at + chunk), (o) => (n += o.length));
    s.finish();
  } finally {
    s.end();
  }
  return n;
}

async function wasmZlib(): Promise<WasmZlib> {
  const zlib = await loadWasmZlib();
  if (!zlib) throw new Error('WebAssembly zlib did not load');
  return zlib;
}

async function inflate(kind: 'small' | 'large') {
  const zlib = await wasmZlib();
  if (kind === 'small') {
    // As the many bundle's entries: 10 KiB of text then 10 KiB of random bytes.
    const raw = new Uint8Array(20 * 1024);
    raw.set(jsonl(10 * 1024), 0);
    raw.set(randomBytes(10 * 1024), 10 * 1024);
    const c = await deflate(raw);
    const many = async (fn: () => Promise<unknown> | unknown, k = 1) => {
      const all: unknown[] = [];
      for (let i = 0; i < 200; i++) {
        all.push(fn());
        if (all.length >= k) await Promise.all(all.splice(0));
      }
      await Promise.all(all);
    };
    const per = (r: { msPerCall: number; mbps: number }) => ({ msPerEntry: r.msPerCall / 200, mbps: r.mbps });
    return {
      kind,
      size: raw.length,
      compressed: c.length,
      bare: per(await rate(raw.length * 200, () => many(() => bareInflate(c)))),
      bare32: per(await rate(raw.length * 200, () => many(() => bareInflate(c), 32))),
      port: per(await rate(raw.length * 200, () => many(() => webPlatform.inflateRaw(c, raw.length)))),
      port32: per(await rate(raw.length * 200, () => many(() => webPlatform.inflateRaw(c, raw.length), 32))),
      pako: per(await rate(raw.length * 200, () => many(() => pako.inflateRaw(c)))),
      wasm: per(await rate(raw.length * 200, () => many(() => zlib.inflateRawSync(c, raw.length)))),
    };
  }
  const raw = jsonl(50 * MiB);
  const c = await deflate(raw);
  return {
    kind,
    size: raw.length,
    compressed: c.length,
    bare: await rate(raw.length, () => bareInflate(c), 3000),
    bareChunks4M: await rate(raw.length, () => bareInflateChunks(c, 4 * MiB), 3000),
    port4M: await rate(raw.length, () => portInflate(c, raw.length, 4 * MiB), 3000),
    pako: await rate(raw.length, () => pako.inflateRaw(c), 3000),
    wasmStream: await rate(raw.length, () => wasmStreamInflate(zlib, c, READ_PIECE), 3000),
  };
}

/** A deflated entry of the bundle: where its data starts and its sizes (from its zip directory). */
interface RealEntry {
  offset: number;
  compressedSize: number;
  uncompressedSize: number;
}

/**
 * The rates that bound what the entry workers and the file hash can do, each primitive as
 * they run it, in pieces of READ_PIECE: hash-wasm's SHA-256 and CRC-32 over 64 MiB, and zlib in
 * WebAssembly inflating one real deflated entry of `file` (read into memory first: no read
 * is timed). MB/s, 10^6 bytes; inflate counts output bytes.
 */
async function floorRates(file: File, entry: RealEntry | null) {
  const data = randomBytes(64 * MiB);
  const sha = await createSHA256();
  const crc = await createCRC32();
  const stream = (h: { init(): unknown; update(b: Uint8Array): unknown; digest(f: 'binary'): unknown }) => () => {
    h.init();
    for (let at = 0; at < data.length; at += READ_PIECE) h.update(data.subarray(at, at + READ_PIECE));
    h.digest('binary');
  };
  const rates = { sha256: (await rate(data.length, stream(sha))).mbps, crc32: (await rate(data.length, stream(crc))).mbps, inflate: 0 };
  if (entry) {
    const zlib = await wasmZlib();
    const compressed = new Uint8Array(await file.slice(entry.offset, entry.offset + entry.compressedSize).arrayBuffer());
    if (wasmStreamInflate(zlib, compressed, READ_PIECE) !== entry.uncompressedSize)
      throw new Error('the entry did not inflate to its size');
    rates.inflate = (await rate(entry.uncompressedSize, () => wasmStreamInflate(zlib, compressed, READ_PIECE))).mbps;
  }
  return rates;
}

async function readFile(file: File, piece: number) {
  const t0 = performance.now();
  for (let at = 0; at < file.size; at += piece) await file.slice(at, Math.min(file.size, at + piece)).arrayBuffer();
  const ms = performance.now() - t0;
  return { piece, mbps: file.size / 1e6 / (ms / 1000), ms };
}

/** One share of a parallel run: `bytes` through `what` in 4 MiB pieces; returns ms. */
async function share(what: string, bytes: number): Promise<number> {
  const data = what === 'inflate' ? await deflate(jsonl(4 * MiB)) : randomBytes(4 * MiB);
  const wasm = await createSHA256();
  const n = Math.round(bytes / (4 * MiB));
  const t0 = performance.now();
  if (what === 'wasm') {
    wasm.init();
    for (let i = 0; i < n; i++) wasm.update(data);
    wasm.digest();
  } else if (what === 'js') {
    const s = new Sha256Stream();
    for (let i = 0; i < n; i++) s.update(data);
    s.digest();
  } else if (what === 'webcrypto') {
    for (let i = 0; i < n; i++) await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
  } else {
    for (let i = 0; i < n; i++) await bareInflate(data);
  }
  return performance.now() - t0;
}

scope.onmessage = async (e: MessageEvent) => {
  const m = e.data as { op: string; arg?: unknown; file?: File; bytes?: number; what?: string; chunk?: Uint8Array };
  try {
    let result: unknown;
    if (m.op === 'sha') result = await sha(m.arg as number);
    else if (m.op === 'crc') result = await crc(m.arg as number);
    else if (m.op === 'inflate') result = await inflate(m.arg as 'small' | 'large');
    else if (m.op === 'read') result = await readFile(m.file!, m.arg as number);
    else if (m.op === 'floor') result = await floorRates(m.file!, m.arg as RealEntry | null);
    else if (m.op === 'share') result = await share(m.what!, m.bytes!);
    else if (m.op === 'echo') result = m.chunk!.length;
    scope.postMessage({ ok: true, result });
  } catch (err) {
    scope.postMessage({ ok: false, error: String((err as Error).stack ?? err) });
  }
};
