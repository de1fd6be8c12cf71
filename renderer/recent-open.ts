// Reopening a recent bundle on click. In Chromium a file dropped on the window comes with a
// file-system handle (DataTransferItem.getAsFileSystemHandle); kept in IndexedDB with the
// recent row, it reopens the same file later, once the user grants read access again. Where
// there is no handle (a file chosen with the file input, another browser), the row says to
// open the file again. Exhibit never keeps a copy of the file.

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
export async function fileFromHandle(handle: ReopenHandle): Promise<File | null> {
  try {
    let state = (await handle.queryPermission?.({ mode: 'read' })) ?? 'granted';
    if (state !== 'granted') state = (await handle.requestPermission?.({ mode: 'read' })) ?? 'denied';
    return state === 'granted' ? await handle.getFile() : null;
  } catch {
    return null;
  }
}
