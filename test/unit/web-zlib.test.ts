// zlib in WebAssembly (shared/platform/web-zlib.ts), as the web build's entry workers use it:
// a small entry in one synchronous call, a large one as a stream. On streams written by zlib
// (Node's, the same library Info-ZIP and Python's zipfile use) and damaged from them the ways
// hostile bundles are.
import { beforeAll, describe, expect, it } from 'vitest';
import { deflateRawSync, constants } from 'node:zlib';
import { SYNC_MAX_COMPRESSED, SYNC_MAX_DECLARED, loadWasmZlib } from '../../shared/platform/web-zlib';
import type { InflateRawSync, WasmZlib } from '../../shared/platform/web-zlib';
import { InflateError } from '../../shared/platform/errors';

let zlib: WasmZlib;
let inflateRawSync: InflateRawSync;
beforeAll(async () => {
  const loaded = await loadWasmZlib();
  if (!loaded) throw new Error('the WebAssembly zlib did not load');
  zlib = loaded;
  inflateRawSync = loaded.inflateRawSync;
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

describe('the WebAssembly inflate stream', () => {
  const inflateAll = (input: Uint8Array, piece: number): Uint8Array => {
    const stream = zlib.inflateStream();
    const parts: Buffer[] = [];
    try {
      for (let at = 0; at < input.length; at += piece) stream.push(input.subarray(at, at + piece), (out) => parts.push(Buffer.from(out)));
      stream.finish();
    } finally {
      stream.end();
    }
    return new Uint8Array(Buffer.concat(parts));
  };
  const failureOf = (input: Uint8Array): InflateError => failure(() => inflateAll(input, 1000));
  const big = new TextEncoder().encode('{"seq":1,"type":"model.call.completed","payload":{"tokens":812}}\n'.repeat(40_000));

  it('inflates what zlib wrote, at every level, however the input is cut', () => {
    for (const level of [1, 6, 9]) {
      const raw = new Uint8Array(deflateRawSync(big, { level }));
      for (const piece of [1, 7, 4096, 300_000, raw.length])
        expect(Buffer.compare(inflateAll(raw, piece), big), `level ${level} by ${piece}`).toBe(0);
    }
  });

  it('bytes after the end are counted over every push; a stream cut short never finishes', () => {
    const raw = new Uint8Array(deflateRawSync(big));
    const e = failureOf(Uint8Array.from([...raw, ...new Uint8Array(2500)]));
    expect([e.code, e.message]).toEqual(['inflate-trailing-data', '2500 bytes follow the end of the deflate stream']);
    expect(failureOf(raw.subarray(0, raw.length - 3)).code).toBe('inflate-truncated');
    expect(failureOf(Uint8Array.of(0xff, 0xff, 0xff, 0xff)).code).toBe('inflate-corrupt');
  });

  it('a consumer that stops the stream (a bomb past its declared size) leaves the module usable', () => {
    const bomb = new Uint8Array(deflateRawSync(new Uint8Array(64 * 1024 * 1024)));
    const inflating = zlib.inflateStream();
    let seen = 0;
    expect(() =>
      inflating.push(bomb, (out) => {
        seen += out.length;
        if (seen > 1_000_000) throw new RangeError('over the declared size');
      }),
    ).toThrow(RangeError);
    inflating.end();
    inflating.end();
    expect(seen).toBeLessThan(2_000_000);
    expect(Buffer.compare(inflateAll(new Uint8Array(deflateRawSync(big)), 65536), big)).toBe(0);
    expect(inflateRawSync(stream, text.length)).toEqual(text);
  });
});
