// What main does for each IPC channel, over the dialogs, file writes, broker and open
// queue it is given (main.ts passes Electron's; tests pass fakes). Arguments arrive here
// already checked by ipc-main.ts.

import type { BundleHandle } from '../shared/ipc/host-api';
import { EVENT } from '../shared/ipc/contract';
import type { BundleBroker } from './bundle-broker';
import type { RecentPaths } from './recent-paths';
import type { MainHandlers, OpenRequestQueue } from './ipc-main';
import { displayName, droppedPathProblem, sanitizeFileName } from './policy';

export interface HandlerDeps {
  broker: BundleBroker;
  queue: OpenRequestQueue;
  /** Shows the open dialog (filtered to .evb); null when cancelled. */
  showOpenDialog(): Promise<string | null>;
  /** Shows the save dialog with this default name; null when cancelled. */
  showSaveDialog(defaultName: string, extension: string): Promise<string | null>;
  /** Writes a file atomically (temporary file, then rename). */
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  /** The OS recent-documents list. */
  addRecentDocument(path: string): void;
  /** Main's own list of opened paths, behind the tokens the renderer reopens recent bundles by. */
  recent: RecentPaths;
  /** Whose path rules a dropped path is checked with (main passes process.platform). */
  platform: NodeJS.Platform;
}

/**
 * Opens a path main obtained (dialog, argv, OS, a checked drop) and remembers it in the OS
 * recent list and in main's own, whose token the handle carries so the renderer can ask
 * for this file again without ever holding its path.
 */
export async function openPath(deps: HandlerDeps, path: string): Promise<BundleHandle> {
  const handle = await deps.broker.openPath(path);
  deps.addRecentDocument(path);
  return { ...handle, reopenToken: await deps.recent.remember(path) };
}

/** Opens the path behind a token main issued; the error names the file, never its folder. */
async function reopenRecent(deps: HandlerDeps, token: string): Promise<BundleHandle> {
  const path = await deps.recent.pathOf(token);
  if (path === null) throw new Error('Exhibit no longer knows where this bundle was: open the file again.');
  try {
    return await openPath(deps, path);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why = typeof code === 'string' ? ` (${code})` : '';
    throw new Error(
      `${displayName(path)} could not be opened where it was before${why}: it may have been moved or deleted. Open it again.`,
    );
  }
}

export function createMainHandlers(deps: HandlerDeps): MainHandlers {
  return {
    'exhibit:bundle:open-dialog': async () => {
      const path = await deps.showOpenDialog();
      return path === null ? null : openPath(deps, path);
    },
    'exhibit:bundle:open-dropped': async ({ path }) => {
      // The path comes from the renderer: the preload takes it from Chromium
      // (webUtils.getPathForFile), but a compromised page could send any string, so it is
      // checked here before anything touches the disk (docs/desktop.md, "Trust boundary").
      const problem = droppedPathProblem(path, deps.platform);
      if (problem !== null) throw new Error(problem);
      return openPath(deps, path);
    },
    'exhibit:bundle:open-demo': () => deps.broker.openDemo(),
    'exhibit:bundle:reopen-recent': ({ token }) => reopenRecent(deps, token),
    'exhibit:bundle:verify': ({ bundleId, jobId, trust, at }, caller) => {
      const request = at === undefined ? { trust } : { trust, at };
      return deps.broker.verify(bundleId, request, jobId, (progress) => caller.send(EVENT.verifyProgress, { jobId, progress }));
    },
    'exhibit:bundle:cancel-verify': async ({ jobId }) => deps.broker.cancel(jobId),
    'exhibit:bundle:read-entry': ({ bundleId, path, maxBytes }) => deps.broker.readEntry(bundleId, path, maxBytes),
    'exhibit:bundle:close': ({ bundleId }) => deps.broker.close(bundleId),
    'exhibit:file:save': async ({ suggestedName, bytes, mediaType }) => {
      const name = sanitizeFileName(suggestedName, mediaType);
      const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
      const path = await deps.showSaveDialog(name, ext);
      if (path === null) return { saved: false, name: null };
      await deps.writeFile(path, bytes);
      return { saved: true, name: displayName(path) };
    },
    'exhibit:open-requests:ready': async (_args, caller) => deps.queue.attach(caller),
  };
}
