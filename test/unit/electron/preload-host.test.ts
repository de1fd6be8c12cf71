import { describe, expect, it, vi } from 'vitest';
import { EVENT, INVOKE } from '../../../shared/ipc/contract';
import type { ExhibitBridge } from '../../../shared/ipc/contract';
import { createBridge } from '../../../electron/preload-api';
import type { IpcRendererLike } from '../../../electron/preload-api';
import { ElectronHost, cleanIpcError, electronBridge } from '../../../renderer/host/electron-host';
import { CancelledError } from '../../../shared/platform/ports';
import type { HostApi } from '../../../shared/ipc/host-api';

/** A recording fake ipcRenderer: invoke answers from a table; main can emit events. */
function fakeIpc(answers: Partial<Record<string, (args: unknown) => unknown>> = {}) {
  const invokes: Array<[string, unknown[]]> = [];
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  const ipc = {
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => {
      invokes.push([channel, args]);
      const a = answers[channel];
      return a ? a(args[0]) : null;
    }),
    on: (channel: string, l: (e: unknown, ...a: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
      return ipc;
    },
    removeListener: (channel: string, l: (e: unknown, ...a: unknown[]) => void) => {
      listeners.get(channel)?.delete(l);
      return ipc;
    },
  };
  const emit = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'IPC EVENT', ports: [] }, payload);
  };
  const count = (channel: string) => listeners.get(channel)?.size ?? 0;
  return { ipc: ipc as unknown as IpcRendererLike, invokes, emit, count };
}

const handle = { id: 'b1', name: 'a.evb', size: 10 };

describe('createBridge (the preload)', () => {
  it('exposes exactly the bridge methods, frozen, and nothing of ipcRenderer', () => {
    const b = createBridge(fakeIpc().ipc, () => '');
    expect(Object.keys(b).sort()).toEqual(
      [
        'cancelVerify',
        'closeBundle',
        'kind',
        'onOpenRequest',
        'openBundleDialog',
        'openDemoBundle',
        'openDroppedFile',
        'readEntry',
        'reopenRecent',
        'saveFile',
        'verify',
      ].sort(),
    );
    expect(Object.isFrozen(b)).toBe(true);
    expect(b.kind).toBe('electron');
  });

  it('open-request listeners get the handle only (no event), pending ones too, and unsubscribe', async () => {
    const f = fakeIpc({ [INVOKE.openRequestsReady]: () => [handle, { id: '../bad', name: 'x', size: 1 }] });
    const b = createBridge(f.ipc, () => '');
    const got: unknown[][] = [];
    const off = b.onOpenRequest((...args: unknown[]) => void got.push(args));
    await Promise.resolve();
    await Promise.resolve();
    expect(got).toEqual([[handle]]); // the invalid pending handle is dropped
    f.emit(EVENT.openRequest, { id: 'b2', name: 'b.evb', size: 2 });
    f.emit(EVENT.openRequest, { id: 'b3', name: 'c.evb', size: -5 });
    expect(got).toEqual([[handle], [{ id: 'b2', name: 'b.evb', size: 2 }]]);
    off();
    expect(f.count(EVENT.openRequest)).toBe(0);
    f.emit(EVENT.openRequest, { id: 'b4', name: 'd.evb', size: 2 });
    expect(got).toHaveLength(2);
  });

  it('verify: sends ids and the trust store, routes only its own progress, and removes its listener', async () => {
    let finish!: (v: unknown) => void;
    const f = fakeIpc({ [INVOKE.verify]: () => new Promise((r) => (finish = r)) });
    const b = createBridge(f.ipc, () => '');
    const progress: unknown[][] = [];
    const done = b.verify(handle, { trust: { keys: [] }, at: '2026-11-03T00:00:00Z' }, (...a: unknown[]) => void progress.push(a), 'job1');
    await Promise.resolve();
    expect(f.invokes[0]).toEqual([INVOKE.verify, [{ bundleId: 'b1', jobId: 'job1', trust: { keys: [] }, at: '2026-11-03T00:00:00Z' }]]);
    f.emit(EVENT.verifyProgress, { jobId: 'job1', progress: { phase: 'payload', done: 1, total: 4 } });
    f.emit(EVENT.verifyProgress, { jobId: 'other', progress: { phase: 'payload', done: 2, total: 4 } });
    expect(progress).toEqual([[{ phase: 'payload', done: 1, total: 4 }]]);
    finish({ status: 'verified' });
    expect(await done).toEqual({ status: 'verified' });
    expect(f.count(EVENT.verifyProgress)).toBe(0);
  });

  it('dropped files: the path comes from webUtils, never from the page; a page-made File is refused', async () => {
    const f = fakeIpc({ [INVOKE.openDropped]: () => handle });
    const paths = new Map<unknown, string>();
    const real = new File([new Uint8Array(1)], 'a.evb');
    paths.set(real, '/home/a/a.evb');
    const b = createBridge(f.ipc, (file) => paths.get(file) ?? '');
    expect(await b.openDroppedFile(real)).toEqual(handle);
    expect(f.invokes).toEqual([[INVOKE.openDropped, [{ path: '/home/a/a.evb' }]]]);
    await expect(b.openDroppedFile(new File(['x'], '/etc/passwd'))).rejects.toThrow(/dropped from your computer/);
    expect(f.invokes).toHaveLength(1);
  });

  it('re-checks handles from main and passes other calls through with typed payloads', async () => {
    const f = fakeIpc({
      [INVOKE.openDialog]: () => ({ id: 'x', name: 'n', size: 'big' }),
      [INVOKE.openDemo]: () => handle,
      [INVOKE.reopenRecent]: () => ({ ...handle, reopenToken: 't9' }),
      [INVOKE.readEntry]: () => new Uint8Array([7]),
      [INVOKE.saveFile]: () => ({ saved: true, name: 'a.pdf' }),
    });
    const b = createBridge(f.ipc, () => '');
    await expect(b.openBundleDialog()).rejects.toThrow(/invalid bundle handle/);
    expect(await b.openDemoBundle()).toEqual(handle);
    expect(await b.reopenRecent('t9')).toEqual({ ...handle, reopenToken: 't9' });
    expect(await b.readEntry(handle, 'data/packet.json', 100)).toEqual(new Uint8Array([7]));
    await b.closeBundle(handle);
    b.cancelVerify('job1');
    expect(await b.saveFile('a.pdf', new Uint8Array([1]), 'application/pdf')).toEqual({ saved: true, name: 'a.pdf' });
    expect(f.invokes.slice(2)).toEqual([
      [INVOKE.reopenRecent, [{ token: 't9' }]],
      [INVOKE.readEntry, [{ bundleId: 'b1', path: 'data/packet.json', maxBytes: 100 }]],
      [INVOKE.close, [{ bundleId: 'b1' }]],
      [INVOKE.cancelVerify, [{ jobId: 'job1' }]],
      [INVOKE.saveFile, [{ suggestedName: 'a.pdf', bytes: new Uint8Array([1]), mediaType: 'application/pdf' }]],
    ]);
  });
});

function fakeBridge(over: Partial<ExhibitBridge> = {}): ExhibitBridge {
  return {
    kind: 'electron',
    openBundleDialog: vi.fn(async () => null),
    openDroppedFile: vi.fn(async () => handle),
    openDemoBundle: vi.fn(async () => handle),
    reopenRecent: vi.fn(async () => handle),
    onOpenRequest: vi.fn(() => () => undefined),
    verify: vi.fn(async () => ({ status: 'verified' }) as never),
    cancelVerify: vi.fn(),
    readEntry: vi.fn(async () => new Uint8Array()),
    closeBundle: vi.fn(async () => undefined),
    saveFile: vi.fn(async () => ({ saved: false, name: null })),
    ...over,
  };
}

describe('ElectronHost (renderer)', () => {
  it('is a HostApi of kind electron', async () => {
    const bridge = fakeBridge();
    const host: HostApi = new ElectronHost(bridge);
    expect(host.kind).toBe('electron');
    expect(await host.openDemoBundle()).toEqual(handle);
  });

  it('turns an AbortSignal into cancelVerify for its job, and the rejection into CancelledError', async () => {
    let reject!: (e: Error) => void;
    const bridge = fakeBridge({ verify: vi.fn(() => new Promise<never>((_r, j) => (reject = j))) });
    const host = new ElectronHost(bridge);
    const ac = new AbortController();
    const p = host.verify(handle, { trust: { keys: [] } }, () => undefined, ac.signal);
    const jobId = (bridge.verify as ReturnType<typeof vi.fn>).mock.calls[0]![3] as string;
    expect(jobId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    ac.abort();
    expect(bridge.cancelVerify).toHaveBeenCalledWith(jobId);
    reject(new Error("Error invoking remote method 'exhibit:bundle:verify': BrokerError: The operation was cancelled."));
    await expect(p).rejects.toBeInstanceOf(CancelledError);
  });

  it('refuses at once when the signal is already aborted; gives distinct job ids', async () => {
    const bridge = fakeBridge();
    const host = new ElectronHost(bridge);
    const ac = new AbortController();
    ac.abort();
    await expect(host.verify(handle, { trust: { keys: [] } }, () => undefined, ac.signal)).rejects.toBeInstanceOf(CancelledError);
    expect(bridge.verify).not.toHaveBeenCalled();
    await host.verify(handle, { trust: { keys: [] } }, () => undefined);
    await host.verify(handle, { trust: { keys: [] } }, () => undefined);
    const ids = (bridge.verify as ReturnType<typeof vi.fn>).mock.calls.map((c) => c[3]);
    expect(new Set(ids).size).toBe(2);
  });

  it("answers fileSha256 from the bundle's last report (Electron's verifier puts it there), and forgets it on close", async () => {
    const sha = 'ab'.repeat(32);
    const bridge = fakeBridge({ verify: vi.fn(async () => ({ status: 'verified', fileSha256: sha }) as never) });
    const host = new ElectronHost(bridge);
    await expect(host.fileSha256(handle)).rejects.toMatchObject({ code: 'file-sha256-not-computed' });
    await host.verify(handle, { trust: { keys: [] } }, () => undefined);
    expect(await host.fileSha256(handle)).toBe(sha);
    await host.closeBundle(handle);
    await expect(host.fileSha256(handle)).rejects.toMatchObject({ code: 'file-sha256-not-computed' });
  });

  it('shows the sentence of an IPC error, not Electron’s wrapper', async () => {
    const bridge = fakeBridge({
      readEntry: vi.fn(async () =>
        Promise.reject(new Error('Error invoking remote method \'exhibit:bundle:read-entry\': Error: The bundle has no entry "x".')),
      ),
    });
    await expect(new ElectronHost(bridge).readEntry(handle, 'x')).rejects.toThrow(/^The bundle has no entry "x"\.$/);
    expect(cleanIpcError(new Error('plain')).message).toBe('plain');
  });

  it('electronBridge finds the preload bridge only when it is there', () => {
    expect(electronBridge({})).toBeNull();
    expect(electronBridge({ exhibitHost: { kind: 'browser' } })).toBeNull();
    const b = fakeBridge();
    expect(electronBridge({ exhibitHost: b })).toBe(b);
  });
});
