// The broker (main) and the worker service (utility process) wired together in-process,
// with the real Node ports and the real demo bundle: what crosses between them is
// structured-cloned, as utilityProcess messages are.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { createBundleBroker } from '../../../electron/bundle-broker';
import type { WorkerChannel } from '../../../electron/bundle-broker';
import { electronServiceDeps, throttleProgress } from '../../../electron/worker-service';
import type { WorkerReply, WorkerRequest, WorkerService } from '../../../electron/worker-service';
import { createVerifyService } from '../../../shared/ipc/verify-service';
import type { Progress } from '../../../shared/platform/ports';
import { buildDemoBundle } from '../../../shared/model/demo-bundle';
import { parseTrustStore } from '../../../shared/evb/trust';
import type { TrustStore } from '../../../shared/evb/crypto-types';

let demo: Awaited<ReturnType<typeof buildDemoBundle>>;
let trust: TrustStore;
let dir: string;

beforeAll(async () => {
  demo = await buildDemoBundle();
  trust = await parseTrustStore(demo.trust, 'demo.trust.json');
  dir = await mkdtemp(join(tmpdir(), 'exhibit-broker-'));
}, 120_000);

function harness() {
  const services: WorkerService[] = [];
  const exits: Array<(code: number) => void> = [];
  const posted: WorkerRequest[] = [];
  let n = 0;
  const spawn = (): WorkerChannel => {
    let onMessage: (r: WorkerReply) => void = () => undefined;
    let alive = true;
    const service = createVerifyService(
      { post: (reply) => alive && setImmediate(() => onMessage(structuredClone(reply))), listen: () => undefined },
      { ...electronServiceDeps(), buildDemo: async () => demo, progressIntervalMs: 0 },
    );
    services.push(service);
    return {
      post: (m) => {
        posted.push(m);
        const copy = structuredClone(m);
        setImmediate(() => void service.handle(copy));
      },
      onMessage: (l) => (onMessage = l),
      onExit: (l) => void exits.push(l),
      kill: () => {
        alive = false;
      },
    };
  };
  const broker = createBundleBroker({
    spawn,
    newId: () => `id${++n}`,
    async stat(p) {
      const s = await stat(p);
      return { size: s.size, isFile: s.isFile() };
    },
  });
  return { broker, services, exits, posted };
}

describe('broker + worker service', () => {
  it('opens and verifies the demo bundle, streaming progress, then reads entries by name', async () => {
    const { broker, services, posted } = harness();
    const handle = await broker.openDemo();
    expect(handle).toEqual({ id: expect.stringMatching(/^id\d+$/), name: 'demo.evb', size: demo.bundle.length });
    const progress: Progress[] = [];
    const report = await broker.verify(handle.id, { trust, at: '2026-11-10T00:00:00Z' }, 'rjob1', (p) => progress.push(p));
    expect(report.status).toBe('verified');
    expect(report.verifiedAt).toBe('2026-11-10T00:00:00.000Z');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.done <= p.total)).toBe(true);
    const packet = JSON.parse(new TextDecoder().decode(await broker.readEntry(handle.id, 'data/packet.json')));
    expect(packet).toBeTypeOf('object');
    await expect(broker.readEntry(handle.id, 'data/../../etc/passwd')).rejects.toThrow(/no entry/);
    await expect(broker.readEntry(handle.id, 'data/packet.json', 10)).rejects.toThrow(/more than the 10/);
    // The worker was told "demo", never a path the renderer chose.
    expect(posted.find((m) => m.type === 'verify')).toMatchObject({ source: { kind: 'demo' } });
    await broker.close(handle.id);
    expect(services[0]!.held()).toEqual([]);
    await expect(broker.readEntry(handle.id, 'data/packet.json')).rejects.toThrow(/No open bundle/);
  });

  it('opens a file main chose, reports its display name and size, and verifies it from disk', async () => {
    const file = join(dir, 'release 42.evb');
    await writeFile(file, demo.bundle);
    const { broker, posted } = harness();
    const handle = await broker.openPath(file);
    expect(handle).toEqual({ id: expect.any(String), name: 'release 42.evb', size: demo.bundle.length });
    expect(JSON.stringify(handle)).not.toContain(dir);
    expect(broker.pathOf(handle.id)).toBe(file);
    const report = await broker.verify(handle.id, { trust: { keys: [] } }, 'r1', () => undefined);
    expect(report.status).toBe('untrusted-signer');
    expect(report.fileName).toBe('release 42.evb');
    expect(posted.find((m) => m.type === 'verify')).toMatchObject({ source: { kind: 'file', path: file } });
  });

  it('reports a tampered file as such (the worker really reads the disk)', async () => {
    const bytes = demo.bundle.slice();
    // Flip a byte inside the first entry's data (after its 30-byte local header and name).
    const nameLength = bytes[26]! | (bytes[27]! << 8);
    const extraLength = bytes[28]! | (bytes[29]! << 8);
    bytes[30 + nameLength + extraLength + 2]! ^= 0x01;
    const file = join(dir, 'tampered.evb');
    await writeFile(file, bytes);
    const { broker } = harness();
    const h = await broker.openPath(file);
    const report = await broker.verify(h.id, { trust }, 'r1', () => undefined);
    expect(['tampered', 'malformed']).toContain(report.status);
  });

  it('refuses directories and unknown bundle ids', async () => {
    const sub = join(dir, 'folder.evb');
    await mkdir(sub, { recursive: true });
    const { broker } = harness();
    await expect(broker.openPath(sub)).rejects.toMatchObject({ code: 'not-a-file' });
    await expect(broker.openPath(join(dir, 'missing.evb'))).rejects.toThrow();
    await expect(broker.verify('nope', { trust }, 'r', () => undefined)).rejects.toMatchObject({ code: 'unknown-bundle' });
    await expect(broker.readEntry('nope', 'data/packet.json')).rejects.toMatchObject({ code: 'unknown-bundle' });
  });

  it('cancels a verification by the renderer job id', async () => {
    // From a file: reading it takes real I/O, so the cancel arrives mid-way (the in-memory
    // demo verifies within one turn of the event loop).
    const file = join(dir, 'cancel.evb');
    await writeFile(file, demo.bundle);
    const { broker, posted } = harness();
    const h = await broker.openPath(file);
    const running = broker.verify(h.id, { trust }, 'rjob-cancel', () => undefined);
    broker.cancel('rjob-cancel');
    expect(posted.map((m) => m.type)).toEqual(['verify', 'cancel']);
    expect(posted[1]!.job).toBe(posted[0]!.job);
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    // A cancel for a job that is not running is harmless.
    broker.cancel('other');
    expect((await broker.verify(h.id, { trust }, 'again', () => undefined)).status).toBe('verified');
  });

  it('fails what is in flight when the worker exits, and starts a new one next time', async () => {
    const { broker, exits, services } = harness();
    const h = await broker.openDemo();
    const running = broker.verify(h.id, { trust }, 'r', () => undefined);
    exits[0]!(9);
    await expect(running).rejects.toMatchObject({ code: 'worker-exited' });
    expect((await broker.verify(h.id, { trust }, 'r2', () => undefined)).status).toBe('verified');
    expect(services).toHaveLength(2);
  });

  it('dispose rejects pending calls and kills the worker', async () => {
    const { broker } = harness();
    const pending = broker.openDemo();
    broker.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'worker-exited' });
  });
});

describe('worker service on its own', () => {
  it('ignores malformed messages and answers reads of unknown bundles with an error', async () => {
    const replies: WorkerReply[] = [];
    const s = createVerifyService(
      { post: (r) => replies.push(r), listen: () => undefined },
      { ...electronServiceDeps(), buildDemo: async () => demo, now: () => 0 },
    );
    for (const m of [null, 42, 'verify', {}, { type: 'verify' }, { type: 'unknown', job: 'x' }]) await s.handle(m);
    expect(replies).toEqual([]);
    await s.handle({ type: 'read', job: 'j', bundle: 'b', path: 'data/packet.json' });
    expect(replies).toEqual([{ type: 'failed', job: 'j', error: { code: 'bundle-not-open', message: expect.any(String) } }]);
  });

  it('a failed open leaves nothing held', async () => {
    const replies: WorkerReply[] = [];
    const s = createVerifyService(
      { post: (r) => replies.push(r), listen: () => undefined },
      { ...electronServiceDeps(), buildDemo: async () => demo, now: () => 0 },
    );
    await s.handle({ type: 'verify', job: 'j', bundle: 'b', source: { kind: 'file', path: join(dir, 'none.evb') }, trust: { keys: [] } });
    expect(replies[0]).toMatchObject({ type: 'failed', job: 'j', error: { code: 'ENOENT' } });
    expect(s.held()).toEqual([]);
  });
});

describe('throttleProgress', () => {
  it('passes phase changes and completions at once, and at most one update per interval otherwise', () => {
    let t = 0;
    const out: Progress[] = [];
    const f = throttleProgress(
      (p) => out.push(p),
      100,
      () => t,
    );
    f({ phase: 'container', done: 0, total: 10 });
    f({ phase: 'container', done: 5, total: 10 }); // same phase, too soon
    f({ phase: 'container', done: 10, total: 10 }); // complete
    f({ phase: 'payload', done: 1, total: 100 }); // new phase
    t = 50;
    f({ phase: 'payload', done: 2, total: 100 });
    t = 150;
    f({ phase: 'payload', done: 3, total: 100 });
    expect(out.map((p) => `${p.phase}:${p.done}`)).toEqual(['container:0', 'container:10', 'payload:1', 'payload:3']);
  });
});
