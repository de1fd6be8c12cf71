// Main's list of the files it opened, so a recent bundle reopens on click by path. The
// renderer never learns a path: each path main opened (dialog, drop, OS, argv) gets an
// opaque token; the renderer keeps the token with its recent row and asks main to reopen
// "token X". Only a token main issued, for a path main opened itself, can be reopened.
// Kept in a JSON file in the app's user-data folder (main.ts passes the reads and writes).

export interface RecentPathsDeps {
  /** The saved list's text, or null when there is none yet. */
  load(): Promise<string | null>;
  /** Saves the list's text (atomically: a half-written list is never read). */
  save(text: string): Promise<void>;
  newToken(): string;
  now(): string;
}

export interface RecentPaths {
  /** The token for this path (the same one as before when it was opened already). */
  remember(path: string): Promise<string>;
  /** The path a token stands for, or null for a token main never issued or has dropped. */
  pathOf(token: string): Promise<string | null>;
}

interface Entry {
  token: string;
  path: string;
  openedAt: string;
}

/** More than the renderer's 20 rows, so a row never outlives its path while it is listed. */
export const MAX_RECENT_PATHS = 50;
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_PATH = 4096;

/** The saved list, keeping only well-formed entries: the file is read back as untrusted text. */
export function parseRecentPaths(text: string | null): Entry[] {
  if (text === null) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const entries = (doc as { version?: unknown; entries?: unknown } | null)?.entries;
  if ((doc as { version?: unknown } | null)?.version !== 1 || !Array.isArray(entries)) return [];
  return entries.filter(isEntry).slice(0, MAX_RECENT_PATHS);
}

function isEntry(v: unknown): v is Entry {
  const e = v as Partial<Entry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.token === 'string' &&
    TOKEN.test(e.token) &&
    typeof e.path === 'string' &&
    e.path.length > 0 &&
    e.path.length <= MAX_PATH &&
    !e.path.includes('\0') &&
    typeof e.openedAt === 'string'
  );
}

export function createRecentPaths(deps: RecentPathsDeps): RecentPaths {
  let loaded: Promise<Entry[]> | null = null;
  // Saves run one after another, in the order the list changed.
  let saving: Promise<void> = Promise.resolve();
  const entries = () => (loaded ??= deps.load().then(parseRecentPaths, () => []));

  return {
    async remember(path) {
      const list = await entries();
      const at = list.findIndex((e) => e.path === path);
      const token = at >= 0 ? list[at]!.token : deps.newToken();
      if (at >= 0) list.splice(at, 1);
      list.unshift({ token, path, openedAt: deps.now() });
      list.splice(MAX_RECENT_PATHS);
      const text = JSON.stringify({ version: 1, entries: list });
      saving = saving.then(() => deps.save(text)).catch(() => undefined);
      await saving;
      return token;
    },
    async pathOf(token) {
      if (!TOKEN.test(token)) return null;
      return (await entries()).find((e) => e.token === token)?.path ?? null;
    },
  };
}
