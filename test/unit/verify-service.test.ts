// The one verification service both hosts run (shared/ipc/verify-service.ts), driven through
// a fake message port: what it posts for progress, cancellation and failures.
import { beforeAll, describe, expect, it } from 'vitest';
import { createVerifyService, serveVerification } from '../../shared/ipc/verify-service';
import type { VerifyServiceDeps, VerifyServiceReply } from '../../shared/ipc/verify-service';
import { nodePlatform } from '../../shared/platform/node';
import { CancelledError, bytesSource } from '../../shared/platform/ports';
import type { ByteSource } from '../../shared/platform/ports';
import { CodedError } from '../../shared/platform/errors';
import { createHash } from 'node:crypto';
import { verifyBundle } from '../../shared/evb/verify';
import { parsePacket } from '../../shared/model/packet';
import { buildDemoBundle } from '../../shared/model/demo-bundle';
import { parseTrustStore } from '../../shared/evb/trust';
import type { TrustStore } from '../../shared/evb/crypto-types';

let demo: Awaited<ReturnType<typeof buildDemoBundle>>;
let trust: TrustStore;

beforeAll(async () => {
  demo = await buildDemoBundle();
  trust = await parseTrustStore(demo.trust, 'demo.trust.json');
}, 120_000);

/** A blob stand-in: the bytes, read one event-loop turn at a time (as a File's slices are). */
type FakeBlob = { bytes: Uint8Array };

function slowSource(bytes: Uint8Array, name: string): ByteSource {
  const inner = bytesSource(bytes, name);
  return { ...inner, read: async (offset, length) => (await new Promise((r) => setImmediate(r)), inner.read(offset, length)) };
}

function fakePort() {
  const replies: Array<{ reply: VerifyServiceReply; transfer: ArrayBuffer[] }> = [];
  let onRequest: (m: unknown) => void = () => undefined;
  return {
    replies,
    of: (job: string) => replies.filter((r) => r.reply.job === job).map((r) => r.reply),
    send: (m: unknown) => onRequest(m),
    port: {
      post: (reply: VerifyServiceReply, transfer: ArrayBuffer[]) => void replies.push({ reply, transfer }),
      listen: (l: (m: unknown) => void) => void (onRequest = l),
    },
  };
}

function deps(extra: Partial<VerifyServiceDeps<FakeBlob>> = {}): VerifyServiceDeps<FakeBlob> {
  return {
    platform: nodePlatform,
    open: async (source) => {
      if (source.kind !== 'blob') throw new CodedError('bad-source', 'blobs only');
      return slowSource(source.blob.bytes, source.name);
    },
    buildDemo: async () => demo,
    demoSource: (bytes, id) => bytesSource(bytes, `${id}.evb`),
    verify: verifyBundle,
    checkPacket: parsePacket,
    now: () => 0,
    progressIntervalMs: 0,
    ...extra,
  };
}

const blob = (): FakeBlob => ({ bytes: demo.bundle });

/**
 * A blob source whose own whole-file hash (ByteSource.sha256, as the web build's file-hash
 * worker) is recorded when called and finishes when the test says, reporting halves.
 */
function fileHashedAfter() {
  const calls: Array<{ signal: AbortSignal; finish: () => void; beforeStatus: boolean }> = [];
  let statusOut = false;
  const open: VerifyServiceDeps<FakeBlob>['open'] = async (source) => {
    if (source.kind !== 'blob') throw new CodedError('bad-source', 'blobs only');
    const bytes = source.blob.bytes;
    const sha256 = (signal?: AbortSignal, onHashed?: (done: number) => void) =>
      new Promise<string>((resolve, reject) => {
        const finish = () => {
          onHashed?.(Math.floor(bytes.length / 2));
          onHashed?.(bytes.length);
          resolve(createHash('sha256').update(bytes).digest('hex'));
        };
        calls.push({ signal: signal!, finish, beforeStatus: !statusOut });
        signal!.addEventListener('abort', () => reject(new CancelledError()), { once: true });
      });
    return { ...slowSource(bytes, source.name), sha256 };
  };
  // The status is decided when verifyBundle returns.
  const verify: VerifyServiceDeps<FakeBlob>['verify'] = async (source, options) => {
    const verified = await verifyBundle(source, options);
    statusOut = true;
    return verified;
  };
  return { open, verify, calls };
}

describe('verification service over a message port', () => {
  it('streams progress for a verify job, then one done with the report, then reads entries', async () => {
    const { port, of } = fakePort();
    const s = createVerifyService(port, deps());
    await s.handle({
      type: 'verify',
      job: 'v1',
      bundle: 'b1',
      source: { kind: 'blob', blob: blob(), name: 'x.evb' },
      trust,
      at: '2026-11-10T00:00:00Z',
    });
    const replies = of('v1');
    const last = replies.at(-1)!;
    expect(last).toMatchObject({ type: 'done', value: { status: 'verified', fileName: 'x.evb' } });
    const progress = replies.slice(0, -1);
    expect(progress.length).toBeGreaterThan(1);
    for (const p of progress) {
      expect(p.type).toBe('progress');
      if (p.type === 'progress') expect(p.progress.done).toBeLessThanOrEqual(p.progress.total);
    }
    expect(s.held()).toEqual(['b1']);
    await s.handle({ type: 'read', job: 'r1', bundle: 'b1', path: 'data/packet.json' });
    const read = of('r1')[0]!;
    expect(read.type).toBe('done');
    const bytes = (read as { value: Uint8Array }).value;
    expect(JSON.parse(new TextDecoder().decode(bytes))).toMatchObject({ bundle_id: demo.bundleId });
  });

  it('by default spaces progress within a phase: with a clock that stands still, only phase changes and completed phases are posted', async () => {
    const { port, of } = fakePort();
    const s = createVerifyService(port, deps({ progressIntervalMs: undefined }));
    await s.handle({ type: 'verify', job: 'v', bundle: 'b', source: { kind: 'blob', blob: blob(), name: 'x.evb' }, trust });
    const progress = of('v').flatMap((r) => (r.type === 'progress' ? [r.progress] : []));
    expect(progress.length).toBeGreaterThan(1);
    progress.forEach((p, i) => expect(i === 0 || p.phase !== progress[i - 1]!.phase || p.done >= p.total).toBe(true));
  });

  it('hands an entry it read over by transfer, not as a copy the page and the worker would both hold', async () => {
    const { port, replies } = fakePort();
    const s = createVerifyService(port, deps());
    await s.handle({ type: 'verify', job: 'v', bundle: 'b', source: { kind: 'blob', blob: blob(), name: 'x.evb' }, trust });
    await s.handle({ type: 'read', job: 'r', bundle: 'b', path: 'data/packet.json' });
    const { reply, transfer } = replies.find((r) => r.reply.job === 'r')!;
    const bytes = (reply as { value: Uint8Array }).value;
    expect(bytes.byteLength).toBeGreaterThan(0);
    expect(transfer).toHaveLength(1);
    expect(transfer[0]).toBe(bytes.buffer);
  });

  it('answers file-sha256 from the report where the file was hashed with it (Electron, the CLI)', async () => {
    const { port, of } = fakePort();
    const s = createVerifyService(port, deps());
    await s.handle({ type: 'verify', job: 'v', bundle: 'b', source: { kind: 'blob', blob: blob(), name: 'x.evb' }, trust });
    const sha = createHash('sha256').update(demo.bundle).digest('hex');
    expect(of('v').at(-1)).toMatchObject({ type: 'done', value: { fileSha256: sha } });
    await s.handle({ type: 'file-sha256', job: 'f', bundle: 'b' });
    expect(of('f')).toEqual([{ type: 'done', job: 'f', value: sha }]);
    await s.handle({ type: 'file-sha256', job: 'g', bundle: 'nope' });
    expect(of('g')).toMatchObject([{ type: 'failed', error: { code: 'bundle-not-open' } }]);
  });

  it('cancels the file hash when the bundle is closed, and a verify of it again hashes afresh', async () => {
    const hashed = fileHashedAfter();
    const { port, of, send } = fakePort();
    const s = serveVerification(port, deps({ open: hashed.open, verify: hashed.verify, fileSha256AfterStatus: true }));
    await s.handle({ type: 'verify', job: 'v', bundle: 'b', source: { kind: 'blob', blob: blob(), name: 'x.evb' }, trust });
    const waiting = s.handle({ type: 'file-sha256', job: 'f', bundle: 'b' });
    send({ type: 'close', job: 'c', bundle: 'b' });
    await waiting;
    expect(of('f').at(-1)).toMatchObject({ type: 'failed', error: { code: 'cancelled' } });
    expect(hashed.calls.map((c) => c.signal.aborted)).toEqual([true]);
    await s.handle({ type: 'verify', job: 'v2', bundle: 'b', source: { kind: 'blob', blob: blob(), name: 'x.evb' }, trust });
    const again = s.handle({ type: 'file-sha256', job: 'f2', bundle: 'b' });
    hashed.calls[1]!.finish();
    await again;
    expect(of('f2').at(-1)).toMatchObject({ type: 'done', value: createHash('sha256').update(demo.bundle).digest('hex') });
  });

  it('stops one asker on its cancel and goes on hashing for the others', async () => {
    const hashed = fileHashedAfter();
    const { port, of, send } = fakePort();
    const s = serveVerification(port, deps({ open: hashed.open, verify: hashed.verify, fileSha256AfterStatus: true }));
    await s.handle({ type: 'verify', job: 'v', bundle: 'b', source: { kind: 'blob', blob: blob(), name: 'x.evb' }, trust });
    const first = s.handle({ type: 'file-sha256', job: 'f1', bundle: 'b' });
    const second = s.handle({ type: 'file-sha256', job: 'f2', bundle: 'b' });
    send({ type: 'cancel', job: 'f1' });
    await first;
    expect(of('f1').at(-1)).toMatchObject({ type: 'failed', error: { code: 'cancelled' } });
    expect(hashed.calls[0]!.signal.aborted).toBe(false);
    hashed.calls[0]!.finish();
    await second;
    expect(of('f2').at(-1)).toMatchObject({ type: 'done', value: createHash('sha256').update(demo.bundle).digest('hex') });
  });

  it('answers the demo request with its name and size, and verifies the demo by kind', async () => {
    const { port, of } = fakePort();
    const s = createVerifyService(port, deps());
    await s.handle({ type: 'demo', job: 'd' });
    expect(of('d')).toEqual([{ type: 'done', job: 'd', value: { name: `${demo.bundleId}.evb`, size: demo.bundle.length } }]);
    await s.handle({ type: 'verify', job: 'v', bundle: 'b', source: { kind: 'demo' }, trust, trustName: 'mine' });
    expect(of('v').at(-1)).toMatchObject({ type: 'done', value: { status: 'verified', trustStore: 'mine' } });
  });

  it('cancels a running verify job: it fails with code cancelled and holds nothing', async () => {
    const { port, of, send } = fakePort();
    const s = serveVerification(port, deps());
    const running = s.handle({ type: 'verify', job: 'v', bundle: 'b', source: { kind: 'blob', blob: blob(), name: 'x.evb' }, trust });
    send({ type: 'cancel', job: 'v' });
    await running;
    expect(of('v').at(-1)).toMatchObject({ type: 'failed', error: { code: 'cancelled' } });
    expect(of('v').filter((r) => r.type !== 'progress')).toHaveLength(1);
    expect(s.held()).toEqual([]);
  });

  it('reports failures with their codes: an open that fails, a read of a bundle not open, a read above its limit', async () => {
    const { port, of } = fakePort();
    const s = createVerifyService(port, deps());
    await s.handle({ type: 'verify', job: 'f', bundle: 'b', source: { kind: 'file', path: '/x.evb' }, trust });
    expect(of('f')).toEqual([{ type: 'failed', job: 'f', error: { code: 'bad-source', message: 'blobs only' } }]);
    expect(s.held()).toEqual([]);
    await s.handle({ type: 'read', job: 'r', bundle: 'nope', path: 'data/packet.json' });
    expect(of('r')).toEqual([{ type: 'failed', job: 'r', error: { code: 'bundle-not-open', message: expect.any(String) } }]);
    await s.handle({ type: 'verify', job: 'v', bundle: 'b', source: { kind: 'demo' }, trust });
    await s.handle({ type: 'read', job: 'big', bundle: 'b', path: 'data/packet.json', maxBytes: 10 });
    expect(of('big')).toEqual([
      { type: 'failed', job: 'big', error: { code: 'entry-too-large', message: expect.stringMatching(/more than the 10/) } },
    ]);
    await s.handle({ type: 'read', job: 'none', bundle: 'b', path: 'data/none.json' });
    expect(of('none')).toMatchObject([{ type: 'failed', error: { code: 'entry-not-found' } }]);
  });

  it('ignores what is not a request, and closing releases the bundle', async () => {
    const { port, replies, of } = fakePort();
    const s = createVerifyService(port, deps());
    for (const m of [null, 42, 'verify', {}, { type: 'verify' }, { type: 'unknown', job: 'x' }]) await s.handle(m);
    expect(replies).toEqual([]);
    await s.handle({ type: 'verify', job: 'v', bundle: 'b', source: { kind: 'demo' }, trust });
    await s.handle({ type: 'close', job: 'c', bundle: 'b' });
    expect(of('c')).toEqual([{ type: 'done', job: 'c', value: null }]);
    expect(s.held()).toEqual([]);
  });
});

describe("the whole file's SHA-256 after the status (the web build)", () => {
  it("decides the status without it, then hashes: the report says null, file-sha256 answers with progress to the file's size", async () => {
    const hashed = fileHashedAfter();
    const { port, of } = fakePort();
    const s = createVerifyService(port, deps({ open: hashed.open, verify: hashed.verify, fileSha256AfterStatus: true }));
    await s.handle({ type: 'verify', job: 'v', bundle: 'b', source: { kind: 'blob', blob: blob(), name: 'x.evb' }, trust });
    expect(of('v').at(-1)).toMatchObject({ type: 'done', value: { status: 'verified', fileSha256: null } });
    const payload = of('v').flatMap((r) => (r.type === 'progress' ? [r.progress] : []));
    // Progress counts the bag's bytes only: no file hash in it.
    const { openZip } = await import('../../shared/evb/zip');
    const entries = (await openZip(bytesSource(demo.bundle))).entries.filter((e) => !e.isDirectory);
    const payloadTotal = entries.reduce((n, e) => n + e.uncompressedSize, 0);
    expect(payload.at(-1)).toMatchObject({ done: payloadTotal, total: payloadTotal });
    expect(payload.every((p) => p.phase !== 'file' && p.total <= payloadTotal)).toBe(true);
    // Started by the first ask, after the status, and only then.
    expect(hashed.calls).toHaveLength(0);
    const asked = s.handle({ type: 'file-sha256', job: 'f', bundle: 'b' });
    expect(hashed.calls).toHaveLength(1);
    expect(hashed.calls[0]!.beforeStatus).toBe(false);
    hashed.calls[0]!.finish();
    await asked;
    const replies = of('f');
    expect(replies.at(-1)).toEqual({ type: 'done', job: 'f', value: createHash('sha256').update(demo.bundle).digest('hex') });
    const progress = replies.flatMap((r) => (r.type === 'progress' ? [r.progress] : []));
    expect(progress[0]).toEqual({ phase: 'file', done: 0, total: demo.bundle.length });
    expect(progress.at(-1)).toEqual({ phase: 'file', done: demo.bundle.length, total: demo.bundle.length });
    // Asked again once it is in: the same digest, without hashing again.
    await s.handle({ type: 'file-sha256', job: 'f2', bundle: 'b' });
    expect(of('f2').at(-1)).toEqual({ ...replies.at(-1), job: 'f2' });
    expect(hashed.calls).toHaveLength(1);
  });

  it('hashes nothing after a verification that failed or was cancelled', async () => {
    const hashed = fileHashedAfter();
    const { port, send, of } = fakePort();
    const s = serveVerification(port, deps({ open: hashed.open, verify: hashed.verify, fileSha256AfterStatus: true }));
    const running = s.handle({ type: 'verify', job: 'v', bundle: 'b', source: { kind: 'blob', blob: blob(), name: 'x.evb' }, trust });
    send({ type: 'cancel', job: 'v' });
    await running;
    expect(of('v').at(-1)).toMatchObject({ type: 'failed', error: { code: 'cancelled' } });
    expect(hashed.calls).toEqual([]);
    await s.handle({ type: 'file-sha256', job: 'f', bundle: 'b' });
    expect(of('f')).toMatchObject([{ type: 'failed', error: { code: 'bundle-not-open' } }]);
  });
});
