// The synchronous raw inflate the web build's entry workers use for small entries
// (shared/platform/web-inflate-sync.ts: zlib in WebAssembly), on streams written by zlib
// (Node's, the same library Info-ZIP and Python's zipfile use) and damaged from them the
// ways hostile bundles are.
import { beforeAll, describe, expect, it } from 'vitest';
import { deflateRawSync, constants } from 'node:zlib';
import { SYNC_MAX_COMPRESSED, SYNC_MAX_DECLARED, loadInflateRawSync } from '../../shared/platform/web-inflate-sync';
import type { InflateRawSync } from '../../shared/platform/web-inflate-sync';
import { InflateError } from '../../shared/platform/errors';

let inflateRawSync: InflateRawSync;
beforeAll(async () => {
  const loaded = await loadInflateRawSync();
  if (!loaded) throw new Error('the WebAssembly inflater did not load');
  inflateRawSync = loaded;
});

const text = new TextEncoder().encode('{"type":"agent.step.completed","payload":{"ok":true}}\n'.repeat(400));
const stream = new Uint8Array(deflateRawSync(text, { level: 9 }));

function failure(f: () => unknown): InflateError {
  try {
    f();
  } catch (e) {
    if (e instanceof InflateError) return e;
    throw e;
  }
  throw new Error('did not fail');
}

describe('inflateRawSync', () => {
  it('inflates exactly what zlib deflated, at every level and strategy', () => {
    for (const level of [0, 1, 6, 9]) {
      for (const strategy of [constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, constants.Z_HUFFMAN_ONLY]) {
        const compressed = new Uint8Array(deflateRawSync(text, { level, strategy }));
        expect(inflateRawSync(compressed, text.length), `level ${level} strategy ${strategy}`).toEqual(text);
      }
    }
    expect(inflateRawSync(new Uint8Array(deflateRawSync(new Uint8Array(0))), 0)).toEqual(new Uint8Array(0));
  });

  it('stops one byte past the declared size: a bomb never fills memory', () => {
    const bomb = new Uint8Array(deflateRawSync(new Uint8Array(64 * 1024 * 1024)));
    const e = failure(() => inflateRawSync(bomb, 1000));
    expect(e.code).toBe('inflate-too-large');
    expect(e.message).toBe('inflates to more than the declared 1000 bytes');
  });

  it('says how many bytes follow the end of the stream', () => {
    const e = failure(() => inflateRawSync(Uint8Array.from([...stream, 7, 7, 7]), text.length));
    expect([e.code, e.message]).toEqual(['inflate-trailing-data', '3 bytes follow the end of the deflate stream']);
  });

  it('a stream cut short is truncated; garbage is corrupt, with zlib words', () => {
    expect(failure(() => inflateRawSync(stream.subarray(0, stream.length - 5), text.length)).code).toBe('inflate-truncated');
    const garbage = Uint8Array.of(0xff, 0xff, 0xff, 0xff);
    const e = failure(() => inflateRawSync(garbage, 100));
    expect(e.code).toBe('inflate-corrupt');
    expect(e.message).toMatch(/^deflate stream is corrupt: invalid/);
  });

  it('a declared size larger than the content is left to the caller: the bytes come back short', () => {
    expect(inflateRawSync(stream, text.length + 10).length).toBe(text.length);
  });

  it('takes entries up to its limits, and refuses larger ones rather than misreport them', () => {
    const big = new Uint8Array(SYNC_MAX_DECLARED);
    for (let i = 0; i < big.length; i += 4096) big[i] = i & 0xff;
    const out = inflateRawSync(new Uint8Array(deflateRawSync(big)), big.length);
    expect(Buffer.compare(out, big)).toBe(0);
    expect(() => inflateRawSync(new Uint8Array(deflateRawSync(big)), SYNC_MAX_DECLARED + 1)).toThrow(RangeError);
    expect(() => inflateRawSync(new Uint8Array(SYNC_MAX_COMPRESSED + 1), 10)).toThrow(RangeError);
    expect(inflateRawSync(stream, text.length)).toEqual(text);
  });

  it('a result is a view the next call reuses: callers hash it before inflating again', () => {
    const first = inflateRawSync(stream, text.length);
    const copy = first.slice();
    inflateRawSync(new Uint8Array(deflateRawSync(new Uint8Array(text.length).fill(0x41))), text.length);
    expect(first).not.toEqual(copy);
  });

  it('an empty input is truncated, not an empty entry', () => {
    expect(failure(() => inflateRawSync(new Uint8Array(0), 10)).code).toBe('inflate-truncated');
  });
});
