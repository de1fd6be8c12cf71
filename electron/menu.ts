// The application menu as a template (a pure function of the platform and two actions).
// No item opens a URL: there is no Help link to a website, and no shell.openExternal.

import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  open(): void;
  openDemo(): void;
}

export function menuTemplate(opts: { platform: NodeJS.Platform; devTools: boolean; actions: MenuActions }): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open Bundle…', accelerator: 'CmdOrCtrl+O', click: () => opts.actions.open() },
      // The OS keeps the recent list (app.addRecentDocument); macOS shows it here, Windows in
      // the taskbar jump list.
      ...(mac
        ? [
            {
              label: 'Open Recent',
              role: 'recentDocuments' as const,
              submenu: [{ label: 'Clear Menu', role: 'clearRecentDocuments' as const }],
            },
          ]
        : []),
      { label: 'Open the Demo Bundle', click: () => opts.actions.openDemo() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(opts.devTools ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
    ],
  };
  const template: MenuItemConstructorOptions[] = [];
  if (mac) template.push({ role: 'appMenu' });
  template.push(file, { role: 'editMenu' }, view, { role: 'windowMenu' });
  return template;
}
