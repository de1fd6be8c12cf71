// A bundle read from disk has its payload digested on worker threads (the node file
// source's digestEntries), and one opened in the web build on entry workers
// (shared/platform/web-digest.ts, here run on this thread over a Blob with the web ports);
// one read from memory goes through readEntry. All must reach the same report for every
// kind of damage, or the CLI, the app and the web build would disagree.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { FIXTURE_ID, fixtureBag, fixturePayload, signer, testKeys, trustFor, zipFixture } from '../helpers/bundles';
import { craftZip } from '../helpers/zipcraft';
import { digestJobOf } from '../helpers/digest-job';
import type { CraftEntry } from '../helpers/zipcraft';
import { verifyBundle } from '../../shared/evb/verify';
import { parsePacket } from '../../shared/model/packet';
import { bytesSource } from '../../shared/platform/ports';
import { nodePlatform, openFileSource } from '../../shared/platform/node';
import { FileWorkers, prestartFileWorkers } from '../../shared/platform/node-digest';
import { DigestQueue } from '../../shared/platform/ports';
import { openZip } from '../../shared/evb/zip';
import type { TrustStore } from '../../shared/evb/crypto-types';
import type { ByteSource, Platform } from '../../shared/platform/ports';
import { blobSource, createWebPlatform } from '../../shared/platform/web';
import { digestJobs, digestWith } from '../../shared/platform/web-digest';
import type { VerificationReport } from '../../shared/evb/report';

let dir: string;
let trust: TrustStore;
let signed: Uint8Array;
const at = new Date('2026-11-15T00:00:00Z');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhibit-digest-'));
  const [alice] = await testKeys();
  trust = trustFor([{ key: alice }]);
  signed = await zipFixture(await fixtureBag({ signers: [signer(alice)] }));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const comparable = (r: VerificationReport) => ({
  status: r.status,
  files: r.files,
  findings: r.findings.map((f) => [f.code, f.entry]),
  signatures: r.signatures.map((s) => [s.math, s.trust]),
  fileSha256: r.fileSha256,
});

type Face = 'file' | 'blob';
const FACES: Face[] = ['file', 'blob'];

/** The web build's source: a Blob whose entries two in-thread digesters take batch by batch, as its entry workers do. */
function webEntrySource(bytes: Uint8Array, name: string, platform: Platform): ByteSource {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  const digester = (jobs: Parameters<typeof digestJobs>[1], onBytes: (n: number) => void) => digestJobs(blob, jobs, platform, { onBytes });
  return { ...blobSource(blob, name), digestEntries: (queue, onBytes, signal) => digestWith(queue, [digester, digester], onBytes, signal) };
}

async function openFace(face: Face, bytes: Uint8Array, name: string): Promise<{ source: ByteSource; platform: Platform }> {
  if (face === 'blob') {
    const platform = await createWebPlatform();
    return { source: webEntrySource(bytes, name, platform), platform };
  }
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { source: await openFileSource(path), platform: nodePlatform };
}

async function both(bytes: Uint8Array, name: string, face: Face = 'file') {
  const { source: file, platform } = await openFace(face, bytes, name);
  expect(file.digestEntries).toBeTypeOf('function');
  try {
    const fromFile = (await verifyBundle(file, { platform, trust, checkPacket: parsePacket, at })).report;
    const fromMemory = (await verifyBundle(bytesSource(bytes, name), { platform: nodePlatform, trust, checkPacket: parsePacket, at }))
      .report;
    return { fromFile, fromMemory };
  } finally {
    await file.close?.();
  }
}

describe.each(FACES)('%s (delegated digests) and memory (readEntry) give the same report', (face) => {
  it('for a verified bundle', async () => {
    const { fromFile, fromMemory } = await both(signed, 'ok.evb', face);
    expect(fromFile.status).toBe('verified');
    expect(comparable(fromFile)).toEqual(comparable(fromMemory));
  });

  it.runIf(face === 'file')(
    'with workers started before the file was known (as the CLI starts them), and with new ones after',
    async () => {
      expect(prestartFileWorkers(2)).toBe(2);
      expect(prestartFileWorkers(2)).toBe(0); // both still waiting
      const check = async (name: string) => {
        const { fromFile, fromMemory } = await both(signed, name);
        expect(fromFile.status, name).toBe('verified');
        expect(comparable(fromFile), name).toEqual(comparable(fromMemory));
      };
      await check('prestarted.evb');
      expect(prestartFileWorkers(2)).toBe(2); // the file source took both waiting workers
      await check('after.evb');
    },
  );

  it('for 150 single-byte flips across the payload region', async () => {
    for (let i = 0; i < 150; i++) {
      const copy = signed.slice();
      const pos = Math.floor((i * 2654435761) % signed.length);
      copy[pos]! ^= 1 << (i % 8);
      const { fromFile, fromMemory } = await both(copy, `flip-${i}.evb`, face);
      expect(comparable(fromFile), `flip at ${pos}`).toEqual(comparable(fromMemory));
    }
  }, 120_000);

  it('for a CRC mismatch, a bomb, trailing deflate bytes and a truncated stream in a payload file', async () => {
    const bag = await fixtureBag();
    const target = 'data/replays/ra-baseline.jsonl';
    const text = bag.get(target)!;
    const stream = new Uint8Array(deflateRawSync(text));
    const damage: Record<string, Partial<CraftEntry>> = {
      crc: { central: { crc: 1 }, local: { crc: 1 } },
      bomb: { data: new Uint8Array(4 * 1024 * 1024), central: { uncompressed: text.length }, local: { uncompressed: text.length } },
      trailing: { method: 8, compressedData: Uint8Array.from([...stream, 7, 7]) },
      truncated: { method: 8, compressedData: stream.subarray(0, stream.length - 4) },
    };
    const expected: Record<string, string> = {
      crc: 'entry-crc-mismatch',
      bomb: 'entry-size-mismatch',
      trailing: 'entry-inflate-failed',
      truncated: 'entry-inflate-failed',
    };
    for (const [name, change] of Object.entries(damage)) {
      const entries: CraftEntry[] = [...bag].map(([path, data]) => ({
        name: `${FIXTURE_ID}/${path}`,
        data,
        ...(path === target ? change : {}),
      }));
      const { fromFile, fromMemory } = await both(craftZip(entries).bytes(), `${name}.evb`, face);
      // Spec 7 (2026-12): damaged entry data is tampered content, the finding naming the file.
      expect(fromFile.status, name).toBe('tampered');
      expect(
        fromFile.findings.map((f) => f.code),
        name,
      ).toContain(expected[name]);
      expect(fromFile.findings.find((f) => f.code === expected[name])?.entry, name).toBe(target);
      expect(fromFile.files.find((f) => f.path === target)?.result, name).toBe('mismatch');
      expect(comparable(fromFile), name).toEqual(comparable(fromMemory));
    }
  });
});

describe("the status without the whole file's SHA-256 (hashFile false: the web build hashes the file after it)", () => {
  it('is the same report, fileSha256 aside, sound and for 40 single-byte flips, and never hashes the file', async () => {
    const platform = await createWebPlatform();
    for (let i = 0; i < 41; i++) {
      const copy = signed.slice();
      const pos = Math.floor((i * 2654435761) % signed.length);
      if (i > 0) copy[pos]! ^= 1 << (i % 8);
      let hashed = 0;
      const source = { ...webEntrySource(copy, 'x.evb', platform), sha256: async () => String(++hashed) };
      const without = (await verifyBundle(source, { platform, trust, checkPacket: parsePacket, at, hashFile: false })).report;
      const withIt = (await verifyBundle(bytesSource(copy, 'x.evb'), { platform: nodePlatform, trust, checkPacket: parsePacket, at }))
        .report;
      expect(without.fileSha256).toBeNull();
      expect(withIt.fileSha256).toBe(createHash('sha256').update(copy).digest('hex'));
      expect(comparable({ ...without, fileSha256: withIt.fileSha256 }), `flip ${i} at ${pos}`).toEqual(comparable(withIt));
      expect(hashed).toBe(0);
    }
  }, 120_000);
});

describe.each(FACES)('%s: entries streamed rather than inflated at once: stored, and deflated above 1 MiB', (face) => {
  it('give the same report as from memory, sound and damaged', async () => {
    // 1.5 MiB of random bytes: deflate cannot shrink them, so the stream stays above 1 MiB.
    const noise = new Uint8Array(1.5 * 1024 * 1024);
    for (let i = 0; i < noise.length; i += 65536) crypto.getRandomValues(noise.subarray(i, i + 65536));
    const payload = fixturePayload();
    payload.set('data/attachments/noise.bin', noise);
    payload.set('data/attachments/stored.txt', new TextEncoder().encode('kept as it is\n'.repeat(1000)));
    const bag = await fixtureBag({ payload });
    const large = `${FIXTURE_ID}/data/attachments/noise.bin`;
    const stored = `${FIXTURE_ID}/data/attachments/stored.txt`;
    const variants: Record<string, { change: Record<string, Partial<CraftEntry>>; code: string | null }> = {
      sound: { change: {}, code: null },
      'large CRC': { change: { [large]: { central: { crc: 1 }, local: { crc: 1 } } }, code: 'entry-crc-mismatch' },
      'large, declared smaller': {
        change: { [large]: { central: { uncompressed: 1000 }, local: { uncompressed: 1000 } } },
        code: 'entry-size-mismatch',
      },
      'stored CRC': { change: { [stored]: { central: { crc: 1 }, local: { crc: 1 } } }, code: 'entry-crc-mismatch' },
    };
    for (const [name, { change, code }] of Object.entries(variants)) {
      const entries: CraftEntry[] = [...bag].map(([path, data]) => {
        const full = `${FIXTURE_ID}/${path}`;
        return { name: full, data, method: full === stored ? 0 : 8, ...(change[full] ?? {}) };
      });
      const { fromFile, fromMemory } = await both(craftZip(entries).bytes(), `streamed-${name.replace(/\W+/g, '-')}.evb`, face);
      if (code === null) expect(fromFile.status, name).toBe('unsigned');
      else
        expect(
          fromFile.findings.map((f) => f.code),
          name,
        ).toContain(code);
      expect(comparable(fromFile), name).toEqual(comparable(fromMemory));
    }
  }, 60_000);
});

describe.each(FACES)('%s: a bag that also lists SHA-512 digests', (face) => {
  it('checks both digests of those files when the workers digest the rest, as from memory', async () => {
    const bag = await fixtureBag();
    const data = [...bag.keys()].filter((p) => p.startsWith('data/'));
    const manifest = (wrong: string | null) =>
      new TextEncoder().encode(
        data.map((p) => `${p === wrong ? 'f'.repeat(128) : createHash('sha512').update(bag.get(p)!).digest('hex')}  ${p}\n`).join(''),
      );
    const tagManifest = new TextDecoder().decode(bag.get('tagmanifest-sha256.txt')!);
    const list = (bytes: Uint8Array) => {
      bag.set('manifest-sha512.txt', bytes);
      bag.set(
        'tagmanifest-sha256.txt',
        new TextEncoder().encode(`${tagManifest}${createHash('sha256').update(bytes).digest('hex')}  manifest-sha512.txt\n`),
      );
    };
    list(manifest(null));
    const good = await both(await zipFixture(bag), 'sha512.evb', face);
    expect(good.fromFile.status).toBe('unsigned');
    const checked512 = good.fromFile.files.filter((f) => f.expectedSha512);
    expect(checked512.map((f) => f.path).sort()).toEqual([...data].sort());
    expect(checked512.every((f) => f.actualSha512 === f.expectedSha512)).toBe(true);
    expect(comparable(good.fromFile)).toEqual(comparable(good.fromMemory));

    // A file the workers digest too: its SHA-512 is still checked, here.
    list(manifest(data.find((p) => p !== 'data/packet.json')!));
    const bad = await both(await zipFixture(bag), 'sha512-bad.evb', face);
    expect(bad.fromFile.status).toBe('tampered');
    expect(bad.fromFile.files.filter((f) => f.result === 'mismatch').map((f) => f.path)).toEqual([
      data.find((p) => p !== 'data/packet.json'),
    ]);
    expect(comparable(bad.fromFile)).toEqual(comparable(bad.fromMemory));
  });
});

describe.each(FACES)("%s: many small files read through the digesters' shared windows", (face) => {
  it('digests 300 incompressible files over several read windows, and finds one damaged past the first window', async () => {
    const payload = fixturePayload(FIXTURE_ID);
    let seed = 7;
    const noise = (n: number) => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    for (let i = 0; i < 300; i++) payload.set(`data/blobs/${String(i).padStart(3, '0')}.bin`, noise(20 * 1024 + i));
    const bag = await fixtureBag({ payload });
    const { fromFile, fromMemory } = await both(await zipFixture(bag), 'many.evb', face);
    expect(fromFile.status).toBe('unsigned');
    expect(comparable(fromFile)).toEqual(comparable(fromMemory));

    // 250 files of 20 KiB in, the entries lie past the first 4 MiB window.
    const target = 'data/blobs/250.bin';
    const entries: CraftEntry[] = [...bag].map(([path, data]) => ({
      name: `${FIXTURE_ID}/${path}`,
      data,
      ...(path === target ? { central: { crc: 1 }, local: { crc: 1 } } : {}),
    }));
    const damaged = await both(craftZip(entries).bytes(), 'many-damaged.evb', face);
    expect(damaged.fromFile.findings.map((f) => [f.code, f.entry])).toEqual([['entry-crc-mismatch', target]]);
    expect(comparable(damaged.fromFile)).toEqual(comparable(damaged.fromMemory));
  }, 60_000);
});

describe('cancellation of a bundle on disk', () => {
  it('an abort during verification rejects with CancelledError and stops the workers', async () => {
    const path = join(dir, 'cancel.evb');
    await writeFile(path, signed);
    const file = await openFileSource(path);
    const controller = new AbortController();
    const run = verifyBundle(file, {
      platform: nodePlatform,
      trust,
      checkPacket: parsePacket,
      at,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    await file.close?.();
  });
});

describe('ending the file workers', () => {
  it('close() stops a busy worker between entries and ends it once it has answered, never mid-entry', async () => {
    // Ending a worker while it builds a zlib handle aborts the whole process (node_zlib.cc,
    // "close before init"), so close() must wait for the answer rather than terminate.
    // 3,000 incompressible entries of 4 KiB: about 190 batches of 64 KiB, so a close after the
    // first answer leaves most of them undigested.
    const entries: CraftEntry[] = Array.from({ length: 3000 }, (_, i) => ({
      name: `b/f${i}.bin`,
      data: crypto.getRandomValues(new Uint8Array(4096)),
    }));
    const path = join(dir, 'busy.evb');
    await writeFile(path, craftZip(entries).bytes());
    const archive = await openZip(bytesSource(new Uint8Array(await readFile(path))));
    const queue = new DigestQueue(64 * 1024);
    for (const e of archive.entries) queue.push(digestJobOf(e));
    queue.close();
    const workers = new FileWorkers(path, 2);
    let batches = 0;
    let closing: Promise<void> | null = null;
    const digests = workers.digestEntries(queue, () => {
      if (++batches === 1) closing = workers.close();
    });
    // Answered (cut short), not rejected by a worker that vanished mid-batch.
    const results = await digests;
    await closing;
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThan(entries.length);
    expect(results.every((r) => r.sha256 && !r.error)).toBe(true);
    expect(workers.closed).toBe(true);
  });
});
