// The two sets of ports (Node and web) give the same answers, and both refuse what a
// hostile deflate stream tries: trailing bytes, truncation, bombs.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { nodePlatform, openFileSource } from '../../shared/platform/node';
import { WEBCRYPTO_HASH_LIMIT, blobSource, createWebPlatform, webPlatform, webSha256 } from '../../shared/platform/web';
import { loadWasmHashes } from '../../shared/platform/web-wasm';
import { blobPieces } from '../../shared/platform/web-blob';
import { Sha256Stream } from '../../shared/platform/sha256';
import { crc32 } from '../../shared/platform/crc32';
import type { Platform } from '../../shared/platform/ports';

const platforms: Array<[string, Platform]> = [
  ['node', nodePlatform],
  ['web', webPlatform],
  ['web+wasm', await createWebPlatform()],
];
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function chunks(bytes: Uint8Array, seed: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  let s = seed;
  while (at < bytes.length) {
    s = (s * 1103515245 + 12345) >>> 0;
    const n = 1 + (s % 70000);
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

async function inflateAll(p: Platform, compressed: Uint8Array, max: number, seed = 7): Promise<Uint8Array> {
  const s = p.createInflateRaw(max);
  const parts: Uint8Array[] = [];
  for (const c of chunks(compressed, seed)) parts.push(...(await s.push(c)));
  parts.push(...(await s.finish()));
  return Uint8Array.from(Buffer.concat(parts));
}

describe('SHA-256 and CRC-32', () => {
  it('the TypeScript SHA-256 matches node:crypto for every length 0..300 and random chunkings', () => {
    for (let n = 0; n <= 300; n++) {
      const b = randomBytes(n);
      const s = new Sha256Stream();
      for (const c of chunks(b, n)) s.update(c);
      expect(Buffer.from(s.digest()).toString('hex'), `length ${n}`).toBe(sha(b));
    }
  });

  it('the web hasher switches from WebCrypto to streaming past its limit without changing the digest', async () => {
    const b = randomBytes(3 * 1024 * 1024 + 17);
    for (const limit of [0, 1024, 10 * 1024 * 1024]) {
      const h = webSha256(limit);
      for (const c of chunks(b, limit + 1)) h.update(c);
      expect(await h.digestHex(), `limit ${limit}`).toBe(sha(b));
    }
  });

  it.each(platforms)('%s: streaming SHA-256 and one-shot agree with node:crypto', async (_n, p) => {
    const b = randomBytes(1_000_003);
    const h = p.createSha256();
    for (const c of chunks(b, 3)) h.update(c);
    expect(await h.digestHex()).toBe(sha(b));
    expect(await p.sha256Hex(b)).toBe(sha(b));
  });

  it('the WebAssembly hashers load here, and interleaved streams keep their own state', async () => {
    const wasm = await loadWasmHashes();
    expect(wasm).not.toBeNull();
    const a = randomBytes(300_001);
    const b = randomBytes(123_457);
    const [ha, hb] = [wasm!.createSha256(), wasm!.createSha256()];
    const [ca, cb] = [chunks(a, 5), chunks(b, 9)];
    let crcA = 0;
    let crcB = 0;
    for (let i = 0; i < Math.max(ca.length, cb.length); i++) {
      if (ca[i]) {
        ha.update(ca[i]!);
        crcA = wasm!.crc32(ca[i]!, crcA);
      }
      if (cb[i]) {
        hb.update(cb[i]!);
        crcB = wasm!.crc32(cb[i]!, crcB);
      }
    }
    expect(Buffer.from(hb.digest()).toString('hex')).toBe(sha(b));
    expect(Buffer.from(ha.digest()).toString('hex')).toBe(sha(a));
    expect([crcA, crcB]).toEqual([zlibCrc32(a) >>> 0, zlibCrc32(b) >>> 0]);
    expect(wasm!.crc32(new Uint8Array(0), 0)).toBe(0);
  });

  it('the web hasher digests a declared size in one buffer, and streams when the bytes outgrow it or it is too large', async () => {
    const wasm = await loadWasmHashes();
    const b = randomBytes(2 * 1024 * 1024 + 5);
    for (const [declared, label] of [
      [b.length, 'exact'],
      [b.length - 100, 'more bytes than declared'],
      [b.length + 100, 'fewer bytes than declared'],
      [WEBCRYPTO_HASH_LIMIT + 1, 'above the buffered limit'],
      [0, 'declared empty'],
    ] as const) {
      const h = webSha256(undefined, declared, wasm);
      for (const c of chunks(b, 3)) h.update(c);
      expect(await h.digestHex(), label).toBe(sha(b));
    }
  });

  it('the TypeScript CRC-32 matches zlib, continued across chunks', () => {
    const b = randomBytes(200_001);
    let c = 0;
    for (const part of chunks(b, 11)) c = crc32(part, c);
    expect(c).toBe(zlibCrc32(b) >>> 0);
    expect(nodePlatform.crc32(b, 0)).toBe(c);
  });
});

describe.each(platforms)('%s inflate', (_name, p) => {
  const plain = Buffer.from(Array.from({ length: 20000 }, (_, i) => `line ${i} {"event":"tool.call.completed"}\n`).join(''));
  const compressed = new Uint8Array(deflateRawSync(plain));

  it('streams to the same bytes, whatever the chunking', async () => {
    for (const seed of [1, 2, 3]) expect(Buffer.from(await inflateAll(p, compressed, plain.length, seed)).equals(plain)).toBe(true);
    expect(Buffer.from(await p.inflateRaw(compressed, plain.length)).equals(plain)).toBe(true);
  });

  // Chromium's DecompressionStream rejects bytes after the end of the stream (checked in the
  // E2E suite); Node's own DecompressionStream ignores them, so under Node only the node
  // port, which counts consumed bytes, can be held to it.
  it.skipIf(_name.startsWith('web'))('refuses bytes after the end of the deflate stream', async () => {
    const withTail = Uint8Array.from([...compressed, 1, 2, 3]);
    await expect(inflateAll(p, withTail, plain.length)).rejects.toThrow(/follow the end/);
    await expect(p.inflateRaw(withTail, plain.length)).rejects.toThrow(/follow the end/);
  });

  it('refuses a truncated stream', async () => {
    const cut = compressed.subarray(0, compressed.length - 10);
    await expect(inflateAll(p, cut, plain.length)).rejects.toThrow(/ends before|corrupt/);
    await expect(p.inflateRaw(cut, plain.length)).rejects.toThrow(/ends before|corrupt/);
  });

  it('refuses garbage', async () => {
    await expect(p.inflateRaw(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x00]), 100)).rejects.toThrow();
  });

  it('stops a bomb at the bound instead of inflating it (200 MB of zeros, bound 1 MiB)', async () => {
    const bomb = new Uint8Array(deflateRawSync(Buffer.alloc(200 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(300 * 1024);
    await expect(inflateAll(p, bomb, 1024 * 1024)).rejects.toThrow(/more than the declared/);
    await expect(p.inflateRaw(bomb, 1024 * 1024)).rejects.toThrow(/more than the declared/);
  });
});

describe('byte sources', () => {
  it('a file and a Blob read the same ranges and refuse reads outside them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exhibit-src-'));
    try {
      const bytes = randomBytes(100_000);
      await writeFile(join(dir, 'f.bin'), bytes);
      const file = await openFileSource(join(dir, 'f.bin'));
      const blob = blobSource(new Blob([bytes]), 'f.bin');
      for (const src of [file, blob]) {
        expect(src.size).toBe(100_000);
        expect(Buffer.from(await src.read(99_990, 10)).equals(bytes.subarray(99_990))).toBe(true);
        expect(Buffer.from(await src.read(0, 0)).length).toBe(0);
        await expect(src.read(99_995, 10)).rejects.toThrow(RangeError);
        await expect(src.read(-1, 2)).rejects.toThrow(RangeError);
      }
      expect(file.name).toBe('f.bin');
      await file.close?.();
      await expect(file.read(0, 1)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a Blob read into a caller's buffer fills that buffer, also with reads overlapping in time", async () => {
    const bytes = randomBytes(300_000);
    const src = blobSource(new Blob([bytes]));
    const a = new Uint8Array(100_000);
    const b = new Uint8Array(100_000);
    const [ra, rb] = await Promise.all([src.read(1000, 90_000, a), src.read(150_000, 100_000, b)]);
    expect(ra.buffer).toBe(a.buffer);
    expect(rb.buffer).toBe(b.buffer);
    expect(Buffer.from(ra).equals(bytes.subarray(1000, 91_000))).toBe(true);
    expect(Buffer.from(rb).equals(bytes.subarray(150_000, 250_000))).toBe(true);
    // Again through the source's kept buffer, then a read too large for `into`, which allocates.
    expect(Buffer.from(await src.read(7, 20, a)).equals(bytes.subarray(7, 27))).toBe(true);
    expect(Buffer.from(await src.read(0, 200_000, a)).equals(bytes.subarray(0, 200_000))).toBe(true);
    await expect(src.read(299_999, 2, a)).rejects.toThrow(RangeError);
  });

  it('a Blob read as pieces into one buffer: all its bytes, and a piece kept too long reads as empty, never as later bytes', async () => {
    const bytes = randomBytes(1_000_000);
    const parts: Buffer[] = [];
    let first: Uint8Array | null = null;
    let kept: ArrayBuffer | null = null;
    for await (const piece of blobPieces(new Blob([bytes]), new ArrayBuffer(64 * 1024), (b) => (kept = b))) {
      first ??= piece;
      parts.push(Buffer.from(piece));
    }
    expect(Buffer.concat(parts).equals(bytes)).toBe(true);
    expect(parts.length).toBeGreaterThan(1);
    expect(first!.length).toBe(0);
    expect(kept!.byteLength).toBe(64 * 1024);
  });

  it('a directory is not a byte source', async () => {
    await expect(openFileSource(tmpdir())).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
