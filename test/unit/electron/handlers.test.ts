import { describe, expect, it, vi } from 'vitest';
import { INVOKE } from '../../../shared/ipc/contract';
import { createMainHandlers } from '../../../electron/handlers';
import type { HandlerDeps } from '../../../electron/handlers';
import { OpenRequestQueue } from '../../../electron/ipc-main';
import type { BundleBroker } from '../../../electron/bundle-broker';
import { createRecentPaths } from '../../../electron/recent-paths';

function deps(over: Partial<HandlerDeps> = {}) {
  const broker = {
    openPath: vi.fn(async (p: string) => ({ id: 'id1', name: p.split('/').pop()!, size: 10 })),
    openDemo: vi.fn(async () => ({ id: 'demo1', name: 'demo.evb', size: 5 })),
    verify: vi.fn(async (_b: string, _r: unknown, _j: string, onProgress: (p: unknown) => void) => {
      onProgress({ phase: 'payload', done: 5, total: 10 });
      return { status: 'verified' };
    }),
    cancel: vi.fn(),
    readEntry: vi.fn(async () => new Uint8Array([1])),
    close: vi.fn(async () => undefined),
    pathOf: vi.fn(),
    dispose: vi.fn(),
  };
  const d: HandlerDeps = {
    broker: broker as unknown as BundleBroker,
    queue: new OpenRequestQueue(),
    showOpenDialog: vi.fn(async () => '/cases/r42.evb'),
    showSaveDialog: vi.fn(async (name: string) => `/home/a/Documents/${name}`),
    writeFile: vi.fn(async () => undefined),
    addRecentDocument: vi.fn(),
    recent: createRecentPaths({ load: async () => null, save: async () => undefined, newToken: () => 'tok1', now: () => 'now' }),
    platform: 'linux',
    ...over,
  };
  return { d, broker, handlers: createMainHandlers(d) };
}
const caller = { send: vi.fn() };

describe('main handlers', () => {
  it('open dialog: opens the chosen path and adds it to the OS recent list; null on cancel', async () => {
    const { d, handlers } = deps();
    expect(await handlers[INVOKE.openDialog](null, caller)).toEqual({ id: 'id1', name: 'r42.evb', size: 10, reopenToken: 'tok1' });
    expect(d.addRecentDocument).toHaveBeenCalledWith('/cases/r42.evb');
    const cancelled = deps({ showOpenDialog: async () => null });
    expect(await cancelled.handlers[INVOKE.openDialog](null, caller)).toBeNull();
    expect(cancelled.broker.openPath).not.toHaveBeenCalled();
  });

  it('open dropped: only .evb files', async () => {
    const { handlers, broker } = deps();
    await expect(handlers[INVOKE.openDropped]({ path: '/home/a/.ssh/id_ed25519' }, caller)).rejects.toThrow(/Only \.evb files/);
    await expect(handlers[INVOKE.openDropped]({ path: '/etc/passwd' }, caller)).rejects.toThrow();
    await expect(handlers[INVOKE.openDropped]({ path: '../../cases/x.evb' }, caller)).rejects.toThrow(/dropped from your computer/);
    expect(broker.openPath).not.toHaveBeenCalled();
    expect(await handlers[INVOKE.openDropped]({ path: '/home/a/x.evb' }, caller)).toMatchObject({ name: 'x.evb' });
  });

  it('open dropped on Windows: a UNC or device path is refused before the broker stats it', async () => {
    const { handlers, broker } = deps({ platform: 'win32' });
    for (const path of [
      '\\\\attacker.example\\share\\x.evb',
      '//attacker.example/share/x.evb',
      '\\\\?\\UNC\\host\\s\\x.evb',
      '\\\\.\\C:\\x.evb',
    ]) {
      await expect(handlers[INVOKE.openDropped]({ path }, caller), path).rejects.toThrow(/network and device paths are refused/);
    }
    expect(broker.openPath).not.toHaveBeenCalled();
    await handlers[INVOKE.openDropped]({ path: 'C:\\Users\\ada\\x.evb' }, caller);
    expect(broker.openPath).toHaveBeenCalledWith('C:\\Users\\ada\\x.evb');
  });

  it('reopen: the path main kept under the token, never one the renderer names', async () => {
    const { d, handlers, broker } = deps();
    const first = await handlers[INVOKE.openDialog](null, caller);
    broker.openPath.mockClear();
    expect(await handlers[INVOKE.reopenRecent]({ token: first!.reopenToken! }, caller)).toMatchObject({ name: 'r42.evb' });
    expect(broker.openPath).toHaveBeenCalledWith('/cases/r42.evb');
    expect(d.addRecentDocument).toHaveBeenLastCalledWith('/cases/r42.evb');
    await expect(handlers[INVOKE.reopenRecent]({ token: 'never-issued' }, caller)).rejects.toThrow(/no longer knows where this bundle was/);
    expect(broker.openPath).toHaveBeenCalledTimes(1);
  });

  it('reopen of a moved file: says so with the file name, not the folder', async () => {
    const { handlers, broker } = deps();
    const first = await handlers[INVOKE.openDialog](null, caller);
    broker.openPath.mockRejectedValueOnce(
      Object.assign(new Error("ENOENT: no such file or directory, stat '/cases/r42.evb'"), { code: 'ENOENT' }),
    );
    const refused = handlers[INVOKE.reopenRecent]({ token: first!.reopenToken! }, caller);
    await expect(refused).rejects.toThrow('r42.evb could not be opened where it was before (ENOENT): it may have been moved or deleted.');
    await expect(refused).rejects.not.toThrow(/\/cases/);
  });

  it('verify forwards progress to the calling window under the job id', async () => {
    const { handlers, broker } = deps();
    const send = vi.fn();
    await handlers[INVOKE.verify]({ bundleId: 'b1', jobId: 'j9', trust: { keys: [] }, at: '2026-11-03T00:00:00Z' }, { send });
    expect(broker.verify).toHaveBeenCalledWith('b1', { trust: { keys: [] }, at: '2026-11-03T00:00:00Z' }, 'j9', expect.any(Function));
    expect(send).toHaveBeenCalledWith('exhibit:event:verify-progress', { jobId: 'j9', progress: { phase: 'payload', done: 5, total: 10 } });
  });

  it('save: sanitized default name in the dialog, bytes written where the user chose', async () => {
    const { d, handlers } = deps();
    const bytes = new Uint8Array([37, 80, 68, 70]);
    const r = await handlers[INVOKE.saveFile](
      { suggestedName: '../../evil/..\\gate summary', bytes, mediaType: 'application/pdf' },
      caller,
    );
    expect(d.showSaveDialog).toHaveBeenCalledWith('gate summary.pdf', 'pdf');
    expect(d.writeFile).toHaveBeenCalledWith('/home/a/Documents/gate summary.pdf', bytes);
    expect(r).toEqual({ saved: true, name: 'gate summary.pdf' });
    const cancelled = deps({ showSaveDialog: async () => null });
    expect(await cancelled.handlers[INVOKE.saveFile]({ suggestedName: 'a', bytes, mediaType: 'application/pdf' }, caller)).toEqual({
      saved: false,
      name: null,
    });
    expect(cancelled.d.writeFile).not.toHaveBeenCalled();
  });

  it('open-requests:ready attaches the caller and returns what was pending', async () => {
    const { d, handlers } = deps();
    const h = { id: 'p1', name: 'p.evb', size: 1 };
    d.queue.push(h);
    expect(await handlers[INVOKE.openRequestsReady](null, caller)).toEqual([h]);
  });

  it('the other channels go to the broker', async () => {
    const { handlers, broker } = deps();
    await handlers[INVOKE.openDemo](null, caller);
    await handlers[INVOKE.cancelVerify]({ jobId: 'j1' }, caller);
    await handlers[INVOKE.readEntry]({ bundleId: 'b1', path: 'data/packet.json', maxBytes: 10 }, caller);
    await handlers[INVOKE.close]({ bundleId: 'b1' }, caller);
    expect(broker.openDemo).toHaveBeenCalled();
    expect(broker.cancel).toHaveBeenCalledWith('j1');
    expect(broker.readEntry).toHaveBeenCalledWith('b1', 'data/packet.json', 10);
    expect(broker.close).toHaveBeenCalledWith('b1');
  });
});
