// Picks the host: the Electron preload bridge when present, else the browser host.
import type { HostApi } from '../../shared/ipc/host-api';
import { BrowserHost } from './browser-host';
import { ElectronHost, electronBridge } from './electron-host';

export function pickHost(): HostApi {
  const bridge = electronBridge();
  return bridge ? new ElectronHost(bridge) : new BrowserHost();
}
