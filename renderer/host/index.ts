// Picks the host: the Electron preload bridge when present, else the browser host.
import type { HostApi } from '../../shared/ipc/host-api';
import { BrowserHost } from './browser-host';

export function pickHost(): HostApi {
  const bridged = (globalThis as { exhibitHost?: HostApi }).exhibitHost;
  return bridged ?? new BrowserHost();
}
