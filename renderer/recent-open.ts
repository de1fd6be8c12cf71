// Reopening a recent bundle on click. In Electron, main keeps the path of each file it opened
// under a token the row keeps (electron/recent-paths.ts); the page never holds the path. In
// Chromium a file dropped on the window (DataTransferItem.getAsFileSystemHandle) or chosen
// with the handle picker (showOpenFilePicker) comes with a file-system handle; kept in
// IndexedDB with the recent row, it reopens the same file later, once the user grants read
// access again. Where there is neither (another browser), the row says to open the file
// again. Exhibit never keeps a copy of the file.

/** The parts of the File System Access API used here (not in TypeScript's DOM library). */
export interface ReopenHandle {
  kind: 'file';
  name: string;
  getFile(): Promise<File>;
  queryPermission?(opts: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(opts: { mode: 'read' }): Promise<PermissionState>;
}

type ItemWithHandle = DataTransferItem & { getAsFileSystemHandle?: () => Promise<{ kind: string } | null> };

/** The handle of the first file dropped, where the browser gives one; asked for during the drop event. */
export function handleFromDrop(e: DragEvent): Promise<ReopenHandle | null> {
  const item = e.dataTransfer?.items?.[0] as ItemWithHandle | undefined;
  if (!item || item.kind !== 'file' || typeof item.getAsFileSystemHandle !== 'function') return Promise.resolve(null);
  return item
    .getAsFileSystemHandle()
    .then((h) => (h && h.kind === 'file' ? (h as unknown as ReopenHandle) : null))
    .catch(() => null);
}

/** The file behind a kept handle, after asking for read access again; null when refused or gone. */
async function fileFromHandle(handle: ReopenHandle): Promise<File | null> {
  try {
    let state = (await handle.queryPermission?.({ mode: 'read' })) ?? 'granted';
    if (state !== 'granted') state = (await handle.requestPermission?.({ mode: 'read' })) ?? 'denied';
    return state === 'granted' ? await handle.getFile() : null;
  } catch {
    return null;
  }
}

/** A recent row as far as reopening goes. */
export interface ReopenableRow {
  fileName: string;
  /** Electron: the token main gave for the path it opened (main keeps the path). */
  reopenToken?: string | null;
  handle?: ReopenHandle | null;
}

export interface ReopenActions {
  byToken(token: string): void;
  byFile(file: File, handle: ReopenHandle): void;
  cannot(message: string): void;
}

/** Whether a row can reopen on click (it says "open the file again" otherwise). */
export function canReopen(row: ReopenableRow): boolean {
  return Boolean(row.reopenToken || row.handle);
}

/** Reopens a recent row: by the host's token where there is one, else by the kept file handle. */
export async function reopenRow(row: ReopenableRow, act: ReopenActions): Promise<void> {
  if (row.reopenToken) return act.byToken(row.reopenToken);
  const file = row.handle ? await fileFromHandle(row.handle) : null;
  if (file && row.handle) act.byFile(file, row.handle);
  else act.cannot(`${row.fileName} could not be read again: open the file again.`);
}

type PickerWindow = { showOpenFilePicker?: (options: object) => Promise<ReopenHandle[]> };

/** The system file picker that returns handles (Chromium), or null where the page has only the file input. */
export function handlePicker(scope: object = globalThis): PickerWindow['showOpenFilePicker'] | null {
  const picker = (scope as PickerWindow).showOpenFilePicker;
  return typeof picker === 'function' ? picker.bind(scope) : null;
}

export type Picked = { kind: 'file'; file: File; handle: ReopenHandle } | { kind: 'cancelled' } | { kind: 'failed' };

/** Asks for a bundle with the handle picker, so the file can reopen from the recent list later. */
export async function pickWithHandle(picker: NonNullable<PickerWindow['showOpenFilePicker']>): Promise<Picked> {
  try {
    const [handle] = await picker({
      types: [{ description: 'Evidence bundles', accept: { 'application/vnd.exhibit.evidence-bundle+zip': ['.evb'] } }],
      multiple: false,
    });
    if (!handle || handle.kind !== 'file') return { kind: 'cancelled' };
    return { kind: 'file', file: await handle.getFile(), handle };
  } catch (e) {
    return (e as { name?: unknown }).name === 'AbortError' ? { kind: 'cancelled' } : { kind: 'failed' };
  }
}
