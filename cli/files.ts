// File helpers for the CLI: read with clear errors, write atomically, never overwrite by
// surprise.
import { constants, rmSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ByteSource } from '../shared/platform/ports';
import { openFileSource } from '../shared/platform/node';
import { CANT_CREATE_EXIT_CODE, CliError, NO_INPUT_EXIT_CODE } from './args';
import type { CliIo } from './io';

export function resolvePath(io: CliIo, path: string): string {
  return resolve(io.cwd, path);
}

/** What a path is when it is not a regular file, in words; null for a regular file. */
function notRegular(st: Stats): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return 'it is a directory, not a file';
  if (st.isFIFO()) return 'it is a FIFO (named pipe), not a regular file';
  if (st.isCharacterDevice()) return 'it is a character device, not a regular file';
  if (st.isBlockDevice()) return 'it is a block device, not a regular file';
  if (st.isSocket()) return 'it is a socket, not a regular file';
  return 'it is not a regular file';
}

/**
 * Refuses at once (exit 66) anything but a regular file: a FIFO would block the open, and
 * /dev/zero would be read without end. Links are followed (the target is what is read).
 */
export async function requireRegularFile(io: CliIo, path: string, what: string): Promise<Stats> {
  let st: Stats;
  try {
    st = await stat(resolvePath(io, path));
  } catch (e) {
    throw new CliError(`cannot read ${what} ${path}: ${describeFsError(e)}`, NO_INPUT_EXIT_CODE);
  }
  const why = notRegular(st);
  if (why) throw new CliError(`cannot read ${what} ${path}: ${why}.`, NO_INPUT_EXIT_CODE);
  return st;
}

/** Reads a regular file of at most `maxBytes` (refused beyond, before anything is read). */
export async function readBytes(io: CliIo, path: string, what: string, maxBytes = 64 * 1024 * 1024): Promise<Uint8Array> {
  await requireRegularFile(io, path, what);
  let handle: FileHandle | undefined;
  try {
    // O_NONBLOCK: should the path have become a FIFO since the check, the open does not wait.
    handle = await open(resolvePath(io, path), constants.O_RDONLY | constants.O_NONBLOCK);
    const st = await handle.stat();
    const why = notRegular(st);
    if (why) throw new CliError(`cannot read ${what} ${path}: ${why}.`, NO_INPUT_EXIT_CODE);
    if (st.size > maxBytes)
      throw new CliError(
        `cannot read ${what} ${path}: it is ${st.size} bytes, more than the ${maxBytes} a ${what} may be.`,
        NO_INPUT_EXIT_CODE,
      );
    const buffer = Buffer.alloc(st.size);
    let done = 0;
    while (done < st.size) {
      const { bytesRead } = await handle.read(buffer, done, st.size - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, done);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read ${what} ${path}: ${describeFsError(e)}`, NO_INPUT_EXIT_CODE);
  } finally {
    await handle?.close();
  }
}

export async function readText(io: CliIo, path: string, what: string, maxBytes?: number): Promise<string> {
  return new TextDecoder().decode(await readBytes(io, path, what, maxBytes));
}

export async function openSource(io: CliIo, path: string): Promise<ByteSource> {
  await requireRegularFile(io, path, 'bundle');
  try {
    return await openFileSource(resolvePath(io, path));
  } catch (e) {
    throw new CliError(`cannot open ${path}: ${describeFsError(e)}`, NO_INPUT_EXIT_CODE);
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

export async function refuseOverwrite(io: CliIo, path: string, force: boolean): Promise<void> {
  if (!force && (await exists(resolvePath(io, path)))) {
    throw new CliError(`${path} already exists; choose another name or pass --force to replace it.`, CANT_CREATE_EXIT_CODE);
  }
}

/** Temporary files being written now: removed on SIGINT/SIGTERM and at exit. */
const liveTemps = new Set<string>();
let signalsHooked = false;

function onSignal(signal: NodeJS.Signals): void {
  for (const temp of liveTemps) rmSync(temp, { force: true });
  liveTemps.clear();
  process.stderr.write(`\nexhibit: interrupted (${signal}); nothing was written.\n`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

function onExit(): void {
  for (const t of liveTemps) rmSync(t, { force: true });
}

/** The handlers are in place only while a temporary file is open (a test runner's own signals stay its own). */
function trackTemp(temp: string): void {
  liveTemps.add(temp);
  if (signalsHooked) return;
  signalsHooked = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
}

function untrackTemp(temp: string): void {
  liveTemps.delete(temp);
  if (liveTemps.size > 0 || !signalsHooked) return;
  signalsHooked = false;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('exit', onExit);
}

/** An output being written into a temporary file beside it, not yet under its name. */
export interface PendingFile {
  /** Writes at the end (sequentially). */
  append(bytes: Uint8Array): Promise<void>;
  /** Writes at a position already written (to patch a header). */
  writeAt(bytes: Uint8Array, position: number): Promise<void>;
  /** Bytes written so far (the end). */
  readonly size: number;
  /** Cuts the file at `length` (after rewriting a region shorter). */
  truncate(length: number): Promise<void>;
  /** Flushes, closes and renames the file over the target. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file; the target stays as it was. */
  abort(): Promise<void>;
}

function cantWrite(path: string, e: unknown): CliError {
  if (e instanceof CliError) return e;
  return new CliError(`cannot write ${path}: ${describeFsError(e)}`, CANT_CREATE_EXIT_CODE);
}

/**
 * Opens the temporary file for an output. Errors name the user's path, never the
 * temporary one; a signal while it is open removes it.
 */
export async function beginAtomic(io: CliIo, path: string, mode?: number, shownAs = path): Promise<PendingFile> {
  const target = resolvePath(io, path);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle;
  try {
    await mkdir(dirname(target), { recursive: true }).catch((e: NodeJS.ErrnoException) => {
      // mkdir says EEXIST when a part of the path is a file: not the words for it.
      throw e.code === 'EEXIST' ? Object.assign(e, { code: 'ENOTDIR' }) : e;
    });
    handle = await open(temp, 'wx', mode ?? 0o644);
    trackTemp(temp);
    // A mode asked for (the bundle's own, for sign) whatever the umask; otherwise the umask applies.
    if (mode !== undefined) await handle.chmod(mode);
  } catch (e) {
    untrackTemp(temp);
    await rm(temp, { force: true }).catch(() => undefined);
    throw cantWrite(shownAs, e);
  }
  let size = 0;
  const writeAll = async (bytes: Uint8Array, position: number) => {
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, position + written);
      written += bytesWritten;
    }
  };
  let open_ = true;
  const guard = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      await pending.abort();
      throw cantWrite(shownAs, e);
    }
  };
  const pending: PendingFile = {
    get size() {
      return size;
    },
    append: (bytes) =>
      guard(async () => {
        await writeAll(bytes, size);
        size += bytes.length;
      }),
    writeAt: (bytes, position) => guard(() => writeAll(bytes, position)),
    truncate: (length) =>
      guard(async () => {
        await handle.truncate(length);
        size = length;
      }),
    commit: () =>
      guard(async () => {
        await handle.sync();
        await handle.close();
        open_ = false;
        await rename(temp, target);
        untrackTemp(temp);
      }),
    abort: async () => {
      if (open_) await handle.close().catch(() => undefined);
      open_ = false;
      await rm(temp, { force: true }).catch(() => undefined);
      untrackTemp(temp);
    },
  };
  return pending;
}

/**
 * Writes a file atomically: into a temporary file beside it, flushed, then renamed over
 * the target, so a crash never leaves a half-written bundle or PDF under the real name.
 */
export async function writeAtomic(
  io: CliIo,
  path: string,
  write: (chunk: (bytes: Uint8Array) => Promise<void>) => Promise<void>,
  mode?: number,
  shownAs = path,
): Promise<void> {
  const pending = await beginAtomic(io, path, mode, shownAs);
  try {
    await write((bytes) => pending.append(bytes));
  } catch (e) {
    await pending.abort();
    throw cantWrite(shownAs, e);
  }
  await pending.commit();
}

export async function writeFileAtomic(io: CliIo, path: string, bytes: Uint8Array | string, mode?: number): Promise<void> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  await writeAtomic(io, path, (chunk) => chunk(data), mode);
}

/**
 * Writes several files all or none: each into its temporary file first, then all renamed.
 * (`demo` writes a bundle and its trust file: one without the other is of no use.)
 */
export async function writeFilesAtomic(io: CliIo, files: Array<{ path: string; bytes: Uint8Array | string }>): Promise<void> {
  const pending: PendingFile[] = [];
  try {
    for (const f of files) {
      const p = await beginAtomic(io, f.path);
      pending.push(p);
      await p.append(typeof f.bytes === 'string' ? new TextEncoder().encode(f.bytes) : f.bytes);
    }
  } catch (e) {
    for (const p of pending) await p.abort();
    throw e;
  }
  for (const p of pending) await p.commit();
}

export function describeFsError(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EEXIST':
      return 'it exists already';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'EFBIG':
      return 'the file would be larger than the file system allows';
    case 'EBUSY':
      return 'the file is busy';
    default:
      // Node's messages end with the path it was given (a temporary file's, for an output):
      // the caller names the user's path.
      return ((e as Error)?.message ?? String(e)).replace(/, \w+ '[^']*'( -> '[^']*')?$/, '').replace(/^[A-Z]+: /, '');
  }
}
