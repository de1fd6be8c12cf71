// Whether this process was started without Chromium's sandbox, and what to tell the user.
// app.enableSandbox() cannot undo --no-sandbox: the switch turns the OS sandbox off for every
// child process, so "the renderer is sandboxed" would be false. electron-builder's AppImage
// AppRun adds --no-sandbox by itself when `unshare -Ur true` fails, which is the default on
// Ubuntu 23.10 and later (unprivileged user namespaces restricted by AppArmor). Exhibit opens
// hostile files, so it refuses to run unsandboxed (docs/desktop.md, "The sandbox on Linux").
// Pure: main.ts passes process.argv, app.commandLine.hasSwitch and process.env.

/** Switches that turn the renderer's OS sandbox off. */
const SANDBOX_OFF_SWITCHES = ['no-sandbox'] as const;

export interface SandboxFacts {
  argv: readonly string[];
  /** app.commandLine.hasSwitch: Chromium's own reading of the command line. */
  hasSwitch(name: string): boolean;
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
}

export interface Refusal {
  title: string;
  message: string;
}

/** Whether argv carries the switch as Chromium spells switches on Linux and macOS (--x, -x, --x=v), before a lone "--". */
function switchInArgv(argv: readonly string[], name: string): boolean {
  for (const arg of argv.slice(1)) {
    if (arg === '--') return false;
    const m = /^--?([^=]+)(=.*)?$/.exec(arg);
    if (m && m[1] === name) return true;
  }
  return false;
}

/** How the sandbox was turned off, or null when it was not. */
export function sandboxDisabledBy(facts: SandboxFacts): string | null {
  for (const name of SANDBOX_OFF_SWITCHES) {
    if (facts.hasSwitch(name) || switchInArgv(facts.argv, name)) return `--${name}`;
  }
  if (facts.env.ELECTRON_DISABLE_SANDBOX) return 'ELECTRON_DISABLE_SANDBOX';
  return null;
}

/** The message Exhibit quits with when the sandbox is off, or null when it is on. */
export function sandboxRefusal(facts: SandboxFacts): Refusal | null {
  const how = sandboxDisabledBy(facts);
  if (how === null) return null;
  const lines = [
    `Exhibit was started with the Chromium sandbox turned off (${how}). Exhibit opens evidence bundles from other people and does not run without the sandbox, so it will quit now.`,
  ];
  if (facts.platform === 'linux' && facts.env.APPIMAGE) {
    lines.push(
      'The AppImage turns the sandbox off by itself when this system does not allow unprivileged user namespaces (the default on Ubuntu 23.10 and later).',
      'Install the .deb package instead (it installs an AppArmor profile that lets the sandbox run), or ask your administrator to allow user namespaces for this AppImage.',
    );
  } else {
    lines.push(`Start Exhibit without ${how}.`);
  }
  return { title: 'Exhibit cannot run without its sandbox', message: lines.join('\n\n') };
}
