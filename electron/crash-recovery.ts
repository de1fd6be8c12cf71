// What main does when the window's renderer process dies (webContents 'render-process-gone'):
// hold open requests (the page that subscribed is gone), reload the app page a limited
// number of times and tell the user, or give up and say so. Pure over the actions main.ts
// passes in, so it is unit-tested with fakes.

import type { RenderProcessGoneDetails } from 'electron';

/** Reloads allowed per window before Exhibit gives up (a page that keeps dying is not helped by more). */
export const MAX_RENDERER_RELOADS = 3;

export interface UserNotice {
  title: string;
  message: string;
}

export interface CrashRecoveryActions {
  /** OpenRequestQueue.detach: later open requests wait for the reloaded page. */
  detachQueue(): void;
  /** Load the app page again in the same window. */
  reload(): void;
  /** Tell the user (a message box; not awaited). */
  notify(notice: UserNotice): void;
  /** Tell the user and close the window. */
  giveUp(notice: UserNotice): void;
  /** True when the window is already going away (nothing to recover). */
  isClosing(): boolean;
}

export type CrashOutcome = 'ignored' | 'reloaded' | 'gave-up';

/** Reasons a reload cannot mend (Windows code-integrity refused the renderer). */
const FATAL_REASONS: ReadonlySet<string> = new Set(['integrity-failure']);

function describe(details: Pick<RenderProcessGoneDetails, 'reason' | 'exitCode'>): string {
  return `(reason: ${details.reason}, exit code ${details.exitCode})`;
}

/** One handler per window; it counts the reloads it has done. */
export function createCrashRecovery(
  actions: CrashRecoveryActions,
  maxReloads = MAX_RENDERER_RELOADS,
): (details: Pick<RenderProcessGoneDetails, 'reason' | 'exitCode'>) => CrashOutcome {
  let reloads = 0;
  return (details) => {
    actions.detachQueue();
    if (actions.isClosing()) return 'ignored';
    if (FATAL_REASONS.has(details.reason) || reloads >= maxReloads) {
      actions.giveUp({
        title: 'Exhibit stopped',
        message:
          `The Exhibit window stopped ${describe(details)}` +
          (reloads > 0 ? ` after being reloaded ${reloads} time${reloads === 1 ? '' : 's'}` : '') +
          '. Exhibit will close this window. Start Exhibit again; if it stops again with the same bundle, report the bundle and this message.',
      });
      return 'gave-up';
    }
    reloads += 1;
    actions.reload();
    actions.notify({
      title: 'Exhibit reloaded its window',
      message: `The Exhibit window stopped unexpectedly ${describe(details)} and was reloaded. Bundles that were open must be opened again.`,
    });
    return 'reloaded';
  };
}
