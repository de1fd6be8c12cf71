// The no-sandbox refusal: electron-builder 26's AppImage AppRun
// (app-builder-lib/out/targets/appimage/appImageUtil.js) appends --no-sandbox when
// `unshare -Ur true` fails; the argv below is what Electron then sees.
import { describe, expect, it } from 'vitest';
import { sandboxDisabledBy, sandboxRefusal } from '../../../electron/sandbox-check';
import type { SandboxFacts } from '../../../electron/sandbox-check';

const facts = (over: Partial<SandboxFacts> = {}): SandboxFacts => ({
  argv: ['/tmp/.mount_ExhibiXXXX/exhibit-desktop'],
  hasSwitch: () => false,
  env: {},
  platform: 'linux',
  ...over,
});

describe('sandboxDisabledBy', () => {
  it('nothing: the sandbox is on', () => {
    expect(sandboxDisabledBy(facts())).toBeNull();
    expect(sandboxDisabledBy(facts({ argv: ['/x/exhibit-desktop', '--enable-sandbox', 'case.evb'] }))).toBeNull();
    expect(sandboxRefusal(facts())).toBeNull();
  });

  it('Chromium says the switch is there', () => {
    expect(sandboxDisabledBy(facts({ hasSwitch: (s) => s === 'no-sandbox' }))).toBe('--no-sandbox');
  });

  it('argv carries it as AppRun adds it, or as Chromium also accepts it', () => {
    for (const a of ['--no-sandbox', '-no-sandbox', '--no-sandbox=1']) {
      expect(sandboxDisabledBy(facts({ argv: ['/x/exhibit-desktop', a, 'file:///home/ada/r.evb'] })), a).toBe('--no-sandbox');
    }
    expect(sandboxDisabledBy(facts({ argv: ['/x/exhibit-desktop', '--', '--no-sandbox'] }))).toBeNull();
    expect(sandboxDisabledBy(facts({ argv: ['/x/exhibit-desktop', '--no-sandboxes'] }))).toBeNull();
  });

  it('ELECTRON_DISABLE_SANDBOX in the environment', () => {
    expect(sandboxDisabledBy(facts({ env: { ELECTRON_DISABLE_SANDBOX: '1' } }))).toBe('ELECTRON_DISABLE_SANDBOX');
  });
});

describe('sandboxRefusal', () => {
  it('an AppImage without user namespaces is told to install the deb', () => {
    const r = sandboxRefusal(facts({ argv: ['/x/exhibit-desktop', '--no-sandbox'], env: { APPIMAGE: '/home/ada/Exhibit.AppImage' } }));
    expect(r?.title).toMatch(/cannot run without its sandbox/);
    expect(r?.message).toMatch(/--no-sandbox/);
    expect(r?.message).toMatch(/\.deb package/);
    expect(r?.message).toMatch(/Ubuntu 23\.10/);
  });

  it('elsewhere: start without the switch', () => {
    const r = sandboxRefusal(facts({ platform: 'win32', hasSwitch: (s) => s === 'no-sandbox' }));
    expect(r?.message).toMatch(/Start Exhibit without --no-sandbox/);
    expect(r?.message).not.toMatch(/AppImage/);
  });
});
