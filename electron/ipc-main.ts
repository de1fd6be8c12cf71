// Main's IPC: one handler per contract channel, each refusing a call from any frame but
// the app's own top-level frame and any payload the contract's validator rejects, before
// the handler sees it. Also the queue of bundles the OS asked to open.

import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { BundleHandle } from '../shared/ipc/host-api';
import type { EventMap, InvokeChannel, InvokeMap } from '../shared/ipc/contract';
import { EVENT, INVOKE, VALIDATE } from '../shared/ipc/contract';
import type { SenderFrame } from './policy';
import { isTrustedSender } from './policy';

/** What a handler may do back to the renderer that called it. */
export interface Caller {
  send<E extends keyof EventMap>(channel: E, payload: EventMap[E]): void;
}

export type MainHandlers = {
  [C in InvokeChannel]: (args: InvokeMap[C]['args'], caller: Caller) => Promise<InvokeMap[C]['result']>;
};

export class IpcRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcRefused';
  }
}

export interface InvokeEventLike {
  senderFrame: SenderFrame | null;
  sender: { send(channel: string, ...args: unknown[]): void; isDestroyed?(): boolean };
}

/** Checks sender and payload, then runs the handler. Exposed for tests; installIpc uses it. */
export async function dispatch<C extends InvokeChannel>(
  channel: C,
  handlers: MainHandlers,
  event: InvokeEventLike,
  args: unknown[],
): Promise<InvokeMap[C]['result']> {
  if (!isTrustedSender(event.senderFrame)) throw new IpcRefused(`${channel}: refused, the caller is not the app's own window.`);
  if (args.length > 1) throw new IpcRefused(`${channel}: refused, too many arguments.`);
  const checked = VALIDATE[channel](args[0]);
  if (!checked.ok) throw new IpcRefused(`${channel}: refused, ${checked.error}.`);
  const caller: Caller = {
    send(ch, payload) {
      if (event.sender.isDestroyed?.()) return;
      event.sender.send(ch, payload);
    },
  };
  return handlers[channel](checked.value as InvokeMap[C]['args'], caller);
}

/** Registers every contract channel with ipcMain. Returns a function that removes them. */
export function installIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, handlers: MainHandlers): () => void {
  const channels = Object.values(INVOKE) as InvokeChannel[];
  for (const channel of channels) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) =>
      dispatch(channel, handlers, event as unknown as InvokeEventLike, args),
    );
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/**
 * Bundles the OS asked to open (argv, second instance, open-file, the menu) before and
 * after the renderer listens: held until it subscribes, then sent as events.
 */
export class OpenRequestQueue {
  private pending: BundleHandle[] = [];
  private target: Caller | null = null;

  push(handle: BundleHandle): void {
    if (this.target) this.target.send(EVENT.openRequest, handle);
    else this.pending.push(handle);
  }

  /** The renderer subscribed: returns what was pending; later pushes go to it. */
  attach(caller: Caller): BundleHandle[] {
    this.target = caller;
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** The window went away (reload or close): hold requests again. */
  detach(): void {
    this.target = null;
  }

  get size(): number {
    return this.pending.length;
  }
}
