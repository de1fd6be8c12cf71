// exhibit pack DIR --id ID -o OUT.evb: makes a bag from a folder holding data/ and zips it.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliIo } from '../io';
import { CliError, NO_INPUT_EXIT_CODE, flag, parse, required, runCommand, str, UsageError } from '../args';
import { describeFsError, refuseOverwrite, resolvePath, writeFileAtomic } from '../files';
import { BagWriteError, makeBag, zipBag } from '../../shared/evb/writer';
import type { BagFiles } from '../../shared/evb/writer';

export const USAGE = `usage: exhibit pack DIR --id ID -o OUT.evb [--date YYYY-MM-DD] [--force]

Makes an evidence bundle from DIR/data/ (which must hold data/packet.json): writes the
BagIt tag files and manifests and zips the bag under the bundle id. Sign it afterwards
with 'exhibit sign'. Symbolic links and special files in DIR/data are refused.
`;

/** Reads every regular file under DIR/data, refusing links and special files. */
export async function readPayload(dir: string): Promise<BagFiles> {
  const files: BagFiles = new Map();
  const walk = async (abs: string, rel: string): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(abs)).sort();
    } catch (e) {
      throw new CliError(`cannot read ${abs}: ${describeFsError(e)}`, NO_INPUT_EXIT_CODE);
    }
    for (const name of names) {
      const childAbs = join(abs, name);
      const childRel = `${rel}/${name}`;
      const st = await lstat(childAbs);
      if (st.isSymbolicLink()) throw new CliError(`${childAbs} is a symbolic link; a bundle holds only regular files.`, NO_INPUT_EXIT_CODE);
      if (st.isDirectory()) await walk(childAbs, childRel);
      else if (st.isFile()) files.set(childRel.normalize('NFC'), new Uint8Array(await readFile(childAbs)));
      else throw new CliError(`${childAbs} is not a regular file.`, NO_INPUT_EXIT_CODE);
    }
  };
  await walk(join(dir, 'data'), 'data');
  return files;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'pack', USAGE, async () => {
    const p = parse(args, {
      id: { type: 'string' },
      out: { type: 'string', short: 'o' },
      date: { type: 'string' },
      force: { type: 'boolean' },
    });
    if (flag(p, 'help')) {
      io.stdout.write(USAGE);
      return 0;
    }
    if (p.positionals.length !== 1) throw new UsageError('name the folder that holds data/.');
    const id = required(p, 'id');
    const out = required(p, 'out');
    const date = str(p, 'date') ?? io.now().toISOString().slice(0, 10);
    await refuseOverwrite(io, out, flag(p, 'force'));
    const dir = resolvePath(io, p.positionals[0]!);
    const payload = await readPayload(dir);
    const packetBytes = payload.get('data/packet.json');
    if (packetBytes) {
      let packetId: unknown;
      try {
        packetId = (JSON.parse(new TextDecoder().decode(packetBytes)) as { bundle_id?: unknown }).bundle_id;
      } catch {
        throw new CliError(`${join(dir, 'data/packet.json')} is not valid JSON.`, 2);
      }
      if (packetId !== id)
        throw new CliError(
          `data/packet.json says bundle_id ${JSON.stringify(packetId)}, but --id is "${id}"; they must agree (spec section 3).`,
          2,
        );
    }
    try {
      const bag = await makeBag(payload, { bundleId: id, baggingDate: date, softwareAgent: `Exhibit ${io.version}` });
      const zip = await zipBag(id, bag);
      await writeFileAtomic(io, out, zip);
      io.stdout.write(
        `wrote ${out}: ${payload.size} payload files, ${zip.length} bytes, bundle id ${id} (unsigned; sign it with 'exhibit sign')\n`,
      );
      return 0;
    } catch (e) {
      if (e instanceof BagWriteError) throw new CliError(e.message, 2);
      throw e;
    }
  });
}
