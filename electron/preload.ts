// The preload (sandboxed): exposes exactly the bridge of preload-api.ts to the page, and
// nothing of ipcRenderer itself.

import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { BRIDGE_GLOBAL } from '../shared/ipc/contract';
import { createBridge } from './preload-api';

contextBridge.exposeInMainWorld(
  BRIDGE_GLOBAL,
  createBridge(ipcRenderer, (file) => webUtils.getPathForFile(file)),
);
