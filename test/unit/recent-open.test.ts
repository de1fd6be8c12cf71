// How a recent row reopens (renderer/recent-open.ts): by main's token in Electron, by the kept
// file handle in Chromium, and otherwise it says to open the file again.
import { describe, expect, it, vi } from 'vitest';
import type { ReopenHandle } from '../../renderer/recent-open';
import { canReopen, handlePicker, pickWithHandle, reopenRow } from '../../renderer/recent-open';

function fileHandle(permission: PermissionState = 'granted'): ReopenHandle {
  return {
    kind: 'file',
    name: 'a.evb',
    getFile: async () => new File([new Uint8Array([0x50, 0x4b, 3, 4])], 'a.evb'),
    queryPermission: async () => permission,
    requestPermission: async () => permission,
  };
}

function actions() {
  return { byToken: vi.fn(), byFile: vi.fn(), cannot: vi.fn() };
}

describe('reopening a recent bundle', () => {
  it('Electron: by the token main gave, before any handle', async () => {
    const act = actions();
    await reopenRow({ fileName: 'a.evb', reopenToken: 'tok1', handle: fileHandle() }, act);
    expect(act.byToken).toHaveBeenCalledWith('tok1');
    expect(act.byFile).not.toHaveBeenCalled();
  });

  it('Chromium: by the kept handle, once read access is granted again', async () => {
    const act = actions();
    const handle = fileHandle();
    await reopenRow({ fileName: 'a.evb', handle }, act);
    expect(act.byFile).toHaveBeenCalledWith(expect.any(File), handle);
  });

  it('access refused, or nothing kept: says to open the file again', async () => {
    for (const row of [
      { fileName: 'a.evb', handle: fileHandle('denied') },
      { fileName: 'a.evb', handle: null, reopenToken: null },
    ]) {
      const act = actions();
      await reopenRow(row, act);
      expect(act.cannot).toHaveBeenCalledWith('a.evb could not be read again: open the file again.');
    }
    expect(canReopen({ fileName: 'a.evb' })).toBe(false);
    expect(canReopen({ fileName: 'a.evb', reopenToken: 't' })).toBe(true);
  });

  it('the handle picker: a chosen file with its handle; cancel is quiet; another refusal falls back', async () => {
    const handle = fileHandle();
    expect(handlePicker({})).toBeNull();
    const picker = handlePicker({ showOpenFilePicker: async () => [handle] })!;
    expect(await pickWithHandle(picker)).toEqual({ kind: 'file', file: expect.any(File), handle });
    const abort = Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' });
    expect(await pickWithHandle(() => Promise.reject(abort))).toEqual({ kind: 'cancelled' });
    const security = Object.assign(new Error('Must be handling a user gesture.'), { name: 'SecurityError' });
    expect(await pickWithHandle(() => Promise.reject(security))).toEqual({ kind: 'failed' });
  });
});
