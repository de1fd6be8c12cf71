// The one verification service both hosts run (shared/ipc/verify-service.ts), driven through
// a fake message port: what it posts for progress, cancellation and failures.
import { beforeAll, describe, expect, it } from 'vitest';
import { createVerifyService, serveVerification } from '../../shared/ipc/verify-service';
import type { VerifyServiceDeps, VerifyServiceReply } from '../../shared/ipc/verify-service';
import { nodePlatform } from '../../shared/platform/node';
import { bytesSource } from '../../shared/platform/ports';
import type { ByteSource } from '../../shared/platform/ports';
import { CodedError } from '../../shared/platform/errors';
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

  it('counts the whole-file hash of a source that reports it: progress ends at the payload plus the file, never past it', async () => {
    const { port, of } = fakePort();
    const { createHash } = await import('node:crypto');
    const open: VerifyServiceDeps<FakeBlob>['open'] = async (source, onFileHashed) => {
      if (source.kind !== 'blob') throw new CodedError('bad-source', 'blobs only');
      const bytes = source.blob.bytes;
      const sha256 = async () => {
        // Reported in two halves, after the payload has started.
        await new Promise((r) => setTimeout(r, 20));
        onFileHashed?.(Math.floor(bytes.length / 2));
        onFileHashed?.(bytes.length);
        return createHash('sha256').update(bytes).digest('hex');
      };
      return { ...slowSource(bytes, source.name), sha256 };
    };
    const s = createVerifyService(port, deps({ open }));
    await s.handle({ type: 'verify', job: 'v', bundle: 'b', source: { kind: 'blob', blob: blob(), name: 'x.evb' }, trust });
    const replies = of('v');
    expect(replies.at(-1)).toMatchObject({ type: 'done', value: { status: 'verified' } });
    const progress = replies.flatMap((r) => (r.type === 'progress' ? [r.progress] : []));
    const { openZip } = await import('../../shared/evb/zip');
    const entries = (await openZip(bytesSource(demo.bundle))).entries.filter((e) => !e.isDirectory);
    const payloadTotal = entries.reduce((n, e) => n + e.uncompressedSize, 0);
    expect(progress.at(-1)).toMatchObject({ done: payloadTotal + demo.bundle.length, total: payloadTotal + demo.bundle.length });
    for (const p of progress) expect(p.done).toBeLessThanOrEqual(p.total);
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
