// CRC-32 and streaming SHA-256 in WebAssembly (hash-wasm) for the web build, where they are
// 3.5-4.9x and 1.6-2.3x the TypeScript ones (docs/web-performance.md). hash-wasm's hashers
// are created asynchronously, one WebAssembly instance each, while the ports are
// synchronous and interleave many streams: so one instance per algorithm is created before
// verifying, and each stream keeps its own state, loaded into the instance only when
// another stream used it since (hash-wasm's save()/load()). A CRC-32 state is the 32-bit
// value itself (little-endian after hash-wasm's 4-byte version prefix), so `crc32(bytes,
// previous)` continues any stream from its last value alone.

import { createCRC32, createSHA256 } from 'hash-wasm';
import type { IHasher } from 'hash-wasm';

/** A streaming SHA-256 over the shared instance. */
export interface WasmSha256 {
  update(bytes: Uint8Array): void;
  /** The 32 digest bytes; the stream must not be used afterwards. */
  digest(): Uint8Array;
}

export interface WasmHashes {
  crc32(bytes: Uint8Array, previous: number): number;
  createSha256(): WasmSha256;
}

/** Loads the hashers, or resolves to null where WebAssembly is unavailable or refused (a CSP without 'wasm-unsafe-eval'). */
export async function loadWasmHashes(): Promise<WasmHashes | null> {
  try {
    const [crc, sha] = await Promise.all([createCRC32(), createSHA256()]);
    return { crc32: crc32Over(crc), createSha256: sha256Over(sha) };
  } catch {
    return null;
  }
}

function crc32Over(hasher: IHasher): WasmHashes['crc32'] {
  hasher.init();
  const state = hasher.save(); // 4-byte prefix, then the value
  const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
  return (bytes, previous) => {
    view.setUint32(4, previous >>> 0, true);
    hasher.load(state);
    hasher.update(bytes);
    const out = hasher.save();
    return new DataView(out.buffer, out.byteOffset, out.byteLength).getUint32(4, true);
  };
}

function sha256Over(hasher: IHasher): () => WasmSha256 {
  /** The stream whose state the instance holds now; it saves it before another takes over. */
  let owner: { park(): void } | null = null;
  return () => {
    let state: Uint8Array | null = null; // null: not started yet
    const self = {
      park() {
        state = hasher.save();
      },
    };
    const take = () => {
      if (owner === self) return;
      owner?.park();
      if (state) hasher.load(state);
      else hasher.init();
      owner = self;
    };
    return {
      update(bytes) {
        take();
        hasher.update(bytes);
      },
      digest() {
        take();
        owner = null;
        return hasher.digest('binary') as Uint8Array;
      },
    };
  };
}
