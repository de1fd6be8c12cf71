import { describe, expect, it, vi } from 'vitest';
import { EVENT, INVOKE } from '../../../shared/ipc/contract';
import type { InvokeChannel } from '../../../shared/ipc/contract';
import { IpcRefused, OpenRequestQueue, dispatch, installIpc } from '../../../electron/ipc-main';
import type { InvokeEventLike, MainHandlers } from '../../../electron/ipc-main';

function recordingHandlers() {
  const calls: Array<[string, unknown]> = [];
  const handlers = Object.fromEntries(
    Object.values(INVOKE).map((c) => [
      c,
      async (args: unknown, caller: { send(ch: string, p: unknown): void }) => {
        calls.push([c, args]);
        if (c === INVOKE.verify) caller.send(EVENT.verifyProgress, { jobId: 'j1', progress: { phase: 'payload', done: 1, total: 2 } });
        return c === INVOKE.openRequestsReady ? [] : null;
      },
    ]),
  ) as unknown as MainHandlers;
  return { handlers, calls };
}

const sent: Array<[string, unknown]> = [];
function event(url: string, parent: unknown = null, destroyed = false): InvokeEventLike {
  return {
    senderFrame: { url, parent },
    sender: { send: (ch: string, p: unknown) => void sent.push([ch, p]), isDestroyed: () => destroyed },
  };
}
const APP = 'app://exhibit/index.html';
const verifyArgs = { bundleId: 'b1', jobId: 'j1', trust: { keys: [] } };

describe('dispatch: sender and payload are checked before any handler runs', () => {
  it('runs the handler with the validated payload for the app main frame', async () => {
    const { handlers, calls } = recordingHandlers();
    sent.length = 0;
    await dispatch(INVOKE.verify, handlers, event(APP), [verifyArgs]);
    expect(calls).toEqual([[INVOKE.verify, verifyArgs]]);
    expect(sent).toEqual([[EVENT.verifyProgress, { jobId: 'j1', progress: { phase: 'payload', done: 1, total: 2 } }]]);
  });

  it('refuses wrong senders: other origins, subframes, no frame', async () => {
    const { handlers, calls } = recordingHandlers();
    const wrong: InvokeEventLike[] = [
      event('https://evil.example/'),
      event('file:///tmp/page.html'),
      event('app://exhibit.evil/'),
      event(APP, { url: APP }),
      { senderFrame: null, sender: { send: () => undefined } },
    ];
    for (const e of wrong) {
      for (const channel of Object.values(INVOKE) as InvokeChannel[]) {
        await expect(dispatch(channel, handlers, e, [])).rejects.toBeInstanceOf(IpcRefused);
      }
    }
    expect(calls).toEqual([]);
  });

  it('refuses bad payloads and extra arguments', async () => {
    const { handlers, calls } = recordingHandlers();
    const bad: Array<[InvokeChannel, unknown[]]> = [
      [INVOKE.verify, [{ ...verifyArgs, bundleId: '../x' }]],
      [INVOKE.verify, [verifyArgs, 'extra']],
      [INVOKE.verify, []],
      [INVOKE.readEntry, [{ bundleId: 'b1', path: 'x', maxBytes: 1e12 }]],
      [INVOKE.saveFile, [{ suggestedName: 'a.pdf', bytes: 'not bytes', mediaType: 'application/pdf' }]],
      [INVOKE.openDialog, [{ defaultPath: '/etc' }]],
      [INVOKE.openDropped, [{ path: 42 }]],
    ];
    for (const [channel, args] of bad) {
      await expect(dispatch(channel, handlers, event(APP), args), channel).rejects.toThrow(/refused/);
    }
    expect(calls).toEqual([]);
  });

  it('does not send to a destroyed window', async () => {
    const { handlers } = recordingHandlers();
    sent.length = 0;
    await dispatch(INVOKE.verify, handlers, event(APP, null, true), [verifyArgs]);
    expect(sent).toEqual([]);
  });
});

describe('installIpc', () => {
  it('registers every contract channel, each guarded, and removes them all', async () => {
    const registered = new Map<string, (e: unknown, ...a: unknown[]) => Promise<unknown>>();
    const removed: string[] = [];
    const { handlers, calls } = recordingHandlers();
    const remove = installIpc(
      {
        handle: (ch: string, l: (e: unknown, ...a: unknown[]) => Promise<unknown>) => void registered.set(ch, l),
        removeHandler: (ch: string) => void removed.push(ch),
      } as never,
      handlers,
    );
    expect([...registered.keys()].sort()).toEqual(Object.values(INVOKE).sort());
    await expect(registered.get(INVOKE.openDialog)!(event('https://evil.example/'))).rejects.toThrow(/refused/);
    await registered.get(INVOKE.openDialog)!(event(APP));
    expect(calls).toEqual([[INVOKE.openDialog, null]]);
    remove();
    expect(removed.sort()).toEqual(Object.values(INVOKE).sort());
  });
});

describe('OpenRequestQueue', () => {
  it('holds requests until the renderer subscribes, then sends them as events; holds again after detach', () => {
    const q = new OpenRequestQueue();
    const a = { id: 'a', name: 'a.evb', size: 1 };
    const b = { id: 'b', name: 'b.evb', size: 2 };
    const c = { id: 'c', name: 'c.evb', size: 3 };
    q.push(a);
    expect(q.size).toBe(1);
    const send = vi.fn();
    expect(q.attach({ send })).toEqual([a]);
    expect(q.size).toBe(0);
    q.push(b);
    expect(send).toHaveBeenCalledWith(EVENT.openRequest, b);
    q.detach();
    q.push(c);
    expect(send).toHaveBeenCalledTimes(1);
    expect(q.attach({ send })).toEqual([c]);
  });
});
