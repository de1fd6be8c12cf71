// File helpers for the CLI: read with clear errors, write atomically, never overwrite by
// surprise.
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
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

export async function readText(io: CliIo, path: string, what: string): Promise<string> {
  try {
    return await readFile(resolvePath(io, path), 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${what} ${path}: ${describeFsError(e)}`, NO_INPUT_EXIT_CODE);
  }
}

export async function openSource(io: CliIo, path: string): Promise<ByteSource> {
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

/**
 * Writes a file atomically: into a temporary file beside it, flushed, then renamed over
 * the target, so a crash never leaves a half-written bundle or PDF under the real name.
 */
export async function writeAtomic(
  io: CliIo,
  path: string,
  write: (chunk: (bytes: Uint8Array) => Promise<void>) => Promise<void>,
  mode = 0o644,
): Promise<void> {
  const target = resolvePath(io, path);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    await mkdir(dirname(target), { recursive: true });
    handle = await open(temp, 'wx', mode);
  } catch (e) {
    throw new CliError(`cannot write ${path}: ${describeFsError(e)}`, CANT_CREATE_EXIT_CODE);
  }
  try {
    let position = 0;
    await write(async (bytes) => {
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle!.write(bytes, written, bytes.length - written, position);
        written += bytesWritten;
        position += bytesWritten;
      }
    });
    await handle!.sync();
    await handle!.close();
    handle = undefined;
    await rename(temp, target);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot write ${path}: ${describeFsError(e)}`, CANT_CREATE_EXIT_CODE);
  }
}

export async function writeFileAtomic(io: CliIo, path: string, bytes: Uint8Array | string, mode?: number): Promise<void> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  await writeAtomic(io, path, (chunk) => chunk(data), mode);
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
    default:
      return (e as Error)?.message ?? String(e);
  }
}
