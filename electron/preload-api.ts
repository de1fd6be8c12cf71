// The bridge the preload exposes, built from the ipcRenderer and webUtils it is given (so
// tests pass fakes). Callbacks never see the IPC event; every subscription returns its
// unsubscribe; what main sends is re-checked before it reaches the page.

import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { BundleHandle, SaveResult } from '../shared/ipc/host-api';
import type { EventMap, ExhibitBridge, InvokeChannel, InvokeMap } from '../shared/ipc/contract';
import { EVENT, INVOKE, checkBundleHandle } from '../shared/ipc/contract';
import type { Progress } from '../shared/platform/ports';
import type { VerificationReport } from '../shared/evb/report';

export type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function createBridge(ipc: IpcRendererLike, getPathForFile: (file: File) => string): ExhibitBridge {
  const invoke = <C extends InvokeChannel>(channel: C, args: InvokeMap[C]['args']): Promise<InvokeMap[C]['result']> =>
    args === null ? ipc.invoke(channel) : ipc.invoke(channel, args);

  const handle = (v: unknown): BundleHandle => {
    const c = checkBundleHandle(v);
    if (!c.ok) throw new Error('The app sent an invalid bundle handle.');
    return c.value;
  };

  const bridge: ExhibitBridge = {
    kind: 'electron',
    async openBundleDialog() {
      const v = await invoke(INVOKE.openDialog, null);
      return v === null ? null : handle(v);
    },
    async openDroppedFile(file: File) {
      // Chromium knows the path of a file the user dropped or picked; a File the page made
      // itself has none. The page never supplies a path string.
      const path = getPathForFile(file);
      if (!path) throw new Error('Only a file dropped from your computer can be opened here.');
      return handle(await invoke(INVOKE.openDropped, { path }));
    },
    async openDemoBundle() {
      return handle(await invoke(INVOKE.openDemo, null));
    },
    async reopenRecent(token) {
      return handle(await invoke(INVOKE.reopenRecent, { token }));
    },
    onOpenRequest(listener) {
      let active = true;
      const onEvent = (_event: IpcRendererEvent, v: unknown) => {
        const c = checkBundleHandle(v);
        if (active && c.ok) listener(c.value);
      };
      ipc.on(EVENT.openRequest, onEvent);
      void invoke(INVOKE.openRequestsReady, null).then((pending) => {
        for (const v of pending) {
          const c = checkBundleHandle(v);
          if (active && c.ok) listener(c.value);
        }
      });
      return () => {
        active = false;
        ipc.removeListener(EVENT.openRequest, onEvent);
      };
    },
    async verify(bundle, request, onProgress: (p: Progress) => void, jobId: string): Promise<VerificationReport> {
      const onEvent = (_event: IpcRendererEvent, v: EventMap[typeof EVENT.verifyProgress]) => {
        if (v && v.jobId === jobId) onProgress({ ...v.progress });
      };
      ipc.on(EVENT.verifyProgress, onEvent);
      try {
        const args: InvokeMap[typeof INVOKE.verify]['args'] = { bundleId: bundle.id, jobId, trust: request.trust };
        if (request.at !== undefined) args.at = request.at;
        return await invoke(INVOKE.verify, args);
      } finally {
        ipc.removeListener(EVENT.verifyProgress, onEvent);
      }
    },
    cancelVerify(jobId) {
      void invoke(INVOKE.cancelVerify, { jobId }).catch(() => undefined);
    },
    readEntry(bundle, path, maxBytes) {
      const args: InvokeMap[typeof INVOKE.readEntry]['args'] = { bundleId: bundle.id, path };
      if (maxBytes !== undefined) args.maxBytes = maxBytes;
      return invoke(INVOKE.readEntry, args);
    },
    async closeBundle(bundle) {
      await invoke(INVOKE.close, { bundleId: bundle.id });
    },
    saveFile(suggestedName, bytes, mediaType): Promise<SaveResult> {
      return invoke(INVOKE.saveFile, { suggestedName, bytes, mediaType });
    },
  };
  return Object.freeze(bridge);
}
