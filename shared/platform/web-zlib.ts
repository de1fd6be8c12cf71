// zlib's inflate compiled to WebAssembly (the zlib-streams module zip.js ships), for the web
// build's entry workers (web-digest.ts): a small entry in one synchronous call, a large one
// as a synchronous stream. It works in memory allocated once. pako, zlib ported to
// JavaScript, allocated its window and output for every entry and cost 400 µs an entry in
// Chromium against 45 µs here; a DecompressionStream costs its set-up, a promise per chunk
// and a task per result, and hands back every piece in fresh memory, which on the bench
// machine cost more than inflating (docs/web-performance.md). zlib says, as ever, whether the
// stream ended, how many input bytes were left after its end, and what was wrong with a
// corrupt one.

import zlibWasm from 'zlib-streams/zlib-streams.wasm?inline';
import { InflateError } from './errors';

/**
 * Inflates `data` (raw deflate) that declares `declared` bytes of output. Returns exactly
 * what it inflates to, when that is at most `declared` bytes and the stream ends with the
 * data; throws InflateError otherwise: too large, truncated, corrupt, or bytes after its end.
 * The result is a view into the inflater's memory: valid until its next call.
 */
export type InflateRawSync = (data: Uint8Array, declared: number) => Uint8Array;

/** What zlib-streams exports (its src/wasm/*_stream_wasm.c): handles and pointers are offsets into `memory`. */
interface ZlibWasm {
  memory: WebAssembly.Memory;
  _initialize?: () => void;
  malloc(size: number): number;
  free(ptr: number): void;
  inflate_new(): number;
  inflate_init_raw(handle: number): number;
  /** (zlib's status << 24) | bytes produced (24 bits of count). */
  inflate_process(handle: number, inPtr: number, inLength: number, outPtr: number, outLength: number, flush: number): number;
  inflate_last_consumed(handle: number): number;
  inflate_end(handle: number): number;
}

const Z_NO_FLUSH = 0;
const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;
/** The handle is a z_stream first (wasm_stream_common.h); its `msg` pointer is the seventh 32-bit field. */
const MSG_OFFSET = 24;
/** A stream's input and output pieces in the module's memory. */
const STREAM_PIECE = 256 * 1024;

/**
 * The largest entry this inflater takes. The module's memory is fixed at 16 MiB (built
 * without memory growth), so its input and output regions are allocated once at these
 * sizes; larger entries stream (web-digest.ts).
 */
export const SYNC_MAX_COMPRESSED = 1024 * 1024;
export const SYNC_MAX_DECLARED = 4 * 1024 * 1024;

function dataUrlBytes(url: string): Uint8Array<ArrayBuffer> {
  const base64 = url.slice(url.indexOf(',') + 1);
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * A synchronous raw inflate stream. `push` hands each piece of output to `out`, a view into
 * the module's memory valid during that call only, and throws InflateError on corrupt data.
 * Bytes after the end of the stream are counted, and `finish` reports them, or a stream
 * that never ended.
 */
export interface InflateStreamSync {
  push(input: Uint8Array, out: (piece: Uint8Array) => void): void;
  finish(): void;
  /** Frees the stream; safe to call more than once, and after finish or a failure. */
  end(): void;
}

export interface WasmZlib {
  inflateRawSync: InflateRawSync;
  inflateStream(): InflateStreamSync;
}

/** Loads the module, or resolves to null where WebAssembly is unavailable or refused (a CSP without 'wasm-unsafe-eval'). */
export async function loadWasmZlib(): Promise<WasmZlib | null> {
  try {
    const { instance } = await WebAssembly.instantiate(dataUrlBytes(zlibWasm), {});
    const z = instance.exports as unknown as ZlibWasm;
    z._initialize?.();
    return { inflateRawSync: inflaterOver(z), inflateStream: () => streamOver(z) };
  } catch {
    return null;
  }
}

let shared: Promise<WasmZlib | null> | null = null;

/** One module per thread, loaded on first use. */
export function sharedWasmZlib(): Promise<WasmZlib | null> {
  shared ??= loadWasmZlib();
  return shared;
}

function zlibMessage(z: ZlibWasm, handle: number, status: number): string {
  const heap = new Uint8Array(z.memory.buffer);
  const msg = new DataView(z.memory.buffer).getUint32(handle + MSG_OFFSET, true);
  if (!msg) return `zlib status ${status}`;
  let end = msg;
  while (end < heap.length && heap[end] !== 0 && end - msg < 200) end++;
  return new TextDecoder().decode(heap.subarray(msg, end));
}

function inflaterOver(z: ZlibWasm): InflateRawSync {
  const inPtr = z.malloc(SYNC_MAX_COMPRESSED);
  const outPtr = z.malloc(SYNC_MAX_DECLARED + 1);
  if (!inPtr || !outPtr) throw new RangeError('the inflater could not allocate its buffers');
  return (data, declared) => {
    if (data.length > SYNC_MAX_COMPRESSED || declared > SYNC_MAX_DECLARED)
      throw new RangeError(`an entry of ${data.length} bytes declaring ${declared} is over this inflater's limits`);
    new Uint8Array(z.memory.buffer).set(data, inPtr);
    const handle = z.inflate_new();
    if (!handle) throw new RangeError('the inflater could not start');
    try {
      if (z.inflate_init_raw(handle) !== Z_OK) throw new RangeError('the inflater could not start');
      // One call inflates until the input ends, the stream ends, or the output (one byte over
      // the declared size: producing it proves the entry inflates to more) is full.
      const result = z.inflate_process(handle, inPtr, data.length, outPtr, declared + 1, Z_NO_FLUSH);
      const status = result >> 24;
      const produced = result & 0xffffff;
      if (status < 0 && status !== Z_BUF_ERROR) throw InflateError.corrupt(zlibMessage(z, handle, status));
      if (produced > declared) throw InflateError.tooLarge(declared);
      if (status !== Z_STREAM_END) throw InflateError.truncated();
      const consumed = z.inflate_last_consumed(handle);
      if (consumed < data.length) throw InflateError.trailing(data.length - consumed);
      return new Uint8Array(z.memory.buffer, outPtr, produced);
    } finally {
      z.inflate_end(handle);
    }
  };
}

/** One stream's state, input and output in the module's memory. */
function streamOver(z: ZlibWasm): InflateStreamSync {
  const handle = z.inflate_new();
  const inPtr = z.malloc(STREAM_PIECE);
  const outPtr = z.malloc(STREAM_PIECE);
  let live = true;
  const end = () => {
    if (!live) return;
    live = false;
    if (handle) z.inflate_end(handle);
    if (inPtr) z.free(inPtr);
    if (outPtr) z.free(outPtr);
  };
  const started = handle && inPtr && outPtr && z.inflate_init_raw(handle) === Z_OK;
  if (!started) {
    end();
    throw new RangeError('the inflater could not start');
  }
  let ended = false;
  let trailing = 0;
  /** Inflates up to a piece of input already in the module; returns how much of it zlib took. */
  const inflatePiece = (length: number, out: (piece: Uint8Array) => void): number => {
    let consumed = 0;
    for (;;) {
      const result = z.inflate_process(handle, inPtr + consumed, length - consumed, outPtr, STREAM_PIECE, Z_NO_FLUSH);
      const status = result >> 24;
      const made = result & 0xffffff;
      consumed += z.inflate_last_consumed(handle);
      if (status < 0 && status !== Z_BUF_ERROR) throw InflateError.corrupt(zlibMessage(z, handle, status));
      if (made > 0) out(new Uint8Array(z.memory.buffer, outPtr, made));
      if (status === Z_STREAM_END) ended = true;
      // A full output piece may have more behind it; otherwise zlib used all it was given.
      if (ended || made < STREAM_PIECE) return consumed;
    }
  };
  return {
    push(input, out) {
      if (!live) throw new RangeError('the inflate stream has ended');
      for (let at = 0; at < input.length;) {
        if (ended) {
          trailing += input.length - at;
          return;
        }
        const length = Math.min(STREAM_PIECE, input.length - at);
        new Uint8Array(z.memory.buffer).set(input.subarray(at, at + length), inPtr);
        const consumed = inflatePiece(length, out);
        if (!ended && consumed < length) throw InflateError.corrupt('zlib stopped before the end of its input');
        at += consumed;
      }
    },
    finish() {
      try {
        if (trailing > 0) throw InflateError.trailing(trailing);
        if (!ended) throw InflateError.truncated();
      } finally {
        end();
      }
    },
    end,
  };
}
