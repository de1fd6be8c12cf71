import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate } from '../../../electron/menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

describe('menuTemplate', () => {
  it('File > Open Bundle (Ctrl/Cmd+O) and the demo call their actions', () => {
    const actions = { open: vi.fn(), openDemo: vi.fn() };
    const items = flatten(menuTemplate({ platform: 'linux', devTools: false, actions }));
    const open = items.find((i) => i.label === 'Open Bundle…')!;
    expect(open.accelerator).toBe('CmdOrCtrl+O');
    (open.click as () => void)();
    (items.find((i) => i.label === 'Open the Demo Bundle')!.click as () => void)();
    expect(actions.open).toHaveBeenCalledTimes(1);
    expect(actions.openDemo).toHaveBeenCalledTimes(1);
  });

  it('recent documents on macOS; no dev tools or reload when packaged; no link out anywhere', () => {
    const actions = { open: vi.fn(), openDemo: vi.fn() };
    const mac = flatten(menuTemplate({ platform: 'darwin', devTools: false, actions }));
    expect(mac.some((i) => i.role === 'recentDocuments')).toBe(true);
    expect(mac.some((i) => i.role === 'toggleDevTools' || i.role === 'reload' || i.role === 'forceReload')).toBe(false);
    const dev = flatten(menuTemplate({ platform: 'win32', devTools: true, actions }));
    expect(dev.some((i) => i.role === 'toggleDevTools')).toBe(true);
    for (const i of [...mac, ...dev]) expect(String(i.label ?? '')).not.toMatch(/https?:|website|learn more/i);
    expect(mac.some((i) => i.role === 'help')).toBe(false);
  });
});
