// exhibit pack DIR --id ID -o OUT.evb: makes a bag from a folder holding data/ and zips it,
// streaming (cli/pack-stream.ts): memory stays bounded whatever the payload's size.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliIo } from '../io';
import { CliError, DATA_ERROR_EXIT_CODE, NO_INPUT_EXIT_CODE, flag, parse, required, runCommand, str, UsageError } from '../args';
import { beginAtomic, describeFsError, readBytes, refuseOverwrite, resolvePath } from '../files';
import { BagWriteError, bagEntryOrder, checkBagInput, makeTagFiles } from '../../shared/evb/writer';
import type { MakeBagOptions } from '../../shared/evb/writer';
import { BUNDLE_ID_PATTERN } from '../../shared/evb/bundle-id';
import { MAX_PACKET_BYTES } from '../../shared/evb/limits';
import { parsePacket } from '../../shared/model/packet';
import { sha256File, writeStreamingZip } from '../pack-stream';
import type { EntrySource } from '../pack-stream';

export const USAGE = `usage: exhibit pack DIR --id ID -o OUT.evb [--date YYYY-MM-DD] [--force]

Makes an evidence bundle from DIR/data/ (which must hold data/packet.json): checks the
packet against the spec (section 4.1), writes the BagIt tag files and manifests and zips
the bag under the bundle id, streaming: any size, in bounded memory (ZIP64 when needed;
an entry deflate does not shrink is stored). Sign it afterwards with 'exhibit sign'.
Symbolic links and special files in DIR/data are refused.
Exit codes: 0 written; 2 the payload cannot make a bundle (a bad name, --id and the
packet disagree); 64 usage error; 65 data/packet.json is not a valid packet (each finding
by JSON Pointer); 66 DIR cannot be read; 73 OUT cannot be written.
`;

interface PayloadFile {
  /** Bag path (data/...). */
  path: string;
  abs: string;
  size: number;
}

/** Lists every regular file under DIR/data (sorted per folder), refusing links and special files. */
export async function listPayload(dir: string): Promise<PayloadFile[]> {
  const files: PayloadFile[] = [];
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
      else if (st.isFile()) files.push({ path: childRel.normalize('NFC'), abs: childAbs, size: st.size });
      else throw new CliError(`${childAbs} is not a regular file.`, NO_INPUT_EXIT_CODE);
    }
  };
  await walk(join(dir, 'data'), 'data');
  return files;
}

/** data/packet.json must be a valid packet (spec 4.1) naming this bundle id, before anything is written. */
async function checkPacket(io: CliIo, dir: string, files: PayloadFile[], id: string): Promise<void> {
  const packetFile = files.find((f) => f.path === 'data/packet.json')!;
  const bytes = await readBytes(io, packetFile.abs, 'packet', MAX_PACKET_BYTES);
  const { findings } = parsePacket(bytes, { listedPaths: new Set(files.map((f) => f.path)) });
  if (findings.length > 0) {
    const lines = findings.map((f) => `  ${f.field || '/'}: ${f.message} (${f.code})`).join('\n');
    throw new CliError(
      `${join(dir, 'data/packet.json')} is not a valid packet (spec section 4.1), so no bundle was written:\n${lines}`,
      DATA_ERROR_EXIT_CODE,
    );
  }
  const packetId = (JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, '')) as { bundle_id?: unknown }).bundle_id;
  if (packetId !== id)
    throw new CliError(
      `data/packet.json says bundle_id ${JSON.stringify(packetId)}, but --id is "${id}"; they must agree (spec section 3).`,
      2,
    );
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
    if (!BUNDLE_ID_PATTERN.test(id))
      throw new UsageError(
        `--id "${id}" is not a bundle id: letters, digits, ".", "_" and "-", starting with a letter or digit, at most 128 characters.`,
      );
    const out = required(p, 'out');
    const date = str(p, 'date') ?? io.now().toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
      throw new UsageError(`--date "${date}" is not a date (YYYY-MM-DD).`);
    await refuseOverwrite(io, out, flag(p, 'force'));
    const dir = resolvePath(io, p.positionals[0]!);
    const files = await listPayload(dir);
    const options: MakeBagOptions = { bundleId: id, baggingDate: date, softwareAgent: `Exhibit ${io.version}` };
    try {
      checkBagInput(
        files.map((f) => f.path),
        options,
      );
    } catch (e) {
      if (e instanceof BagWriteError) throw new CliError(e.message, 2);
      throw e;
    }
    await checkPacket(io, dir, files, id);

    const sources = new Map<string, EntrySource>();
    const manifest: Array<[string, string]> = [];
    let octets = 0;
    for (const f of files) {
      const { sha256, size } = await sha256File(f.abs);
      manifest.push([f.path, sha256]);
      octets += size;
      sources.set(f.path, { kind: 'file', path: f.abs, size, sha256 });
    }
    for (const [name, bytes] of await makeTagFiles(manifest, octets, options)) sources.set(name, { kind: 'bytes', bytes });

    const pending = await beginAtomic(io, out);
    try {
      await writeStreamingZip(
        pending,
        bagEntryOrder(sources.keys()).map((name) => ({ name: `${id}/${name}`, source: sources.get(name)! })),
      );
    } catch (e) {
      await pending.abort();
      throw e;
    }
    const size = pending.size;
    await pending.commit();
    io.stdout.write(
      `wrote ${out}: ${files.length} payload files, ${size} bytes, bundle id ${id} (unsigned; sign it with 'exhibit sign')\n`,
    );
    return 0;
  });
}
