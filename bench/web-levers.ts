// The web verifier's candidate levers (docs/web-performance.md), each measured alone in Debian's Chromium (bench/levers/):
// SHA-256 throughput on 20 KiB, 1, 4 and 32 MiB pieces (WebCrypto one at a time and eight in flight,
// shared/platform/sha256.ts, hash-wasm's WebAssembly), CRC-32 (TypeScript vs WebAssembly),
// raw inflate of a 20 KiB and a 50 MiB entry (bare DecompressionStream, the web port's
// wrapper in shared/platform/web.ts, pako), File reads by slice, copying vs transferring
// chunks to a worker, and 1-4 workers at once on this machine's cores.
// Run: node --import tsx bench/web-levers.ts [FILE-TO-READ]   (prints a table and one JSON line)
//
// With --floor BUNDLE it prints only the compute floor of verifying BUNDLE in the web build
// (one JSON line, for bench:web): the CPU seconds its entry workers' and file hash's own
// primitives need for the bundle's bytes (SHA-256 of every entry and of the whole file,
// CRC-32 of every entry, inflate of the deflated ones, at the rates measured here on its real
// bytes), and those seconds over this machine's cores. No read, message, page or per-entry
// cost is in it: the web build cannot be faster than this.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import type { Page } from 'playwright-core';
import { launch } from '../test/e2e/helpers/harness';

const root = new URL('..', import.meta.url).pathname;
const floorAt = process.argv.indexOf('--floor');
const floorOf = floorAt > 0 ? process.argv[floorAt + 1] : undefined;
const out = join(root, 'bench/.work/levers');
const MiB = 1024 * 1024;
mkdirSync(out, { recursive: true });
/** `import url from 'x.wasm?inline'` as vite.config.ts's wasmInline builds it: a data: URL. */
const wasmInline: Plugin = {
  name: 'wasm-inline',
  setup(b) {
    b.onResolve({ filter: /\.wasm\?inline$/ }, async (args) => {
      const r = await b.resolve(args.path.slice(0, -'?inline'.length), { kind: args.kind, resolveDir: args.resolveDir });
      return { path: r.path, namespace: 'wasm-inline' };
    });
    b.onLoad({ filter: /.*/, namespace: 'wasm-inline' }, (args) => ({
      contents: `export default "data:application/wasm;base64,${readFileSync(args.path).toString('base64')}";`,
      loader: 'js',
    }));
  },
};
for (const name of ['page', 'worker'])
  await build({
    entryPoints: [join(root, `bench/levers/${name}.ts`)],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outfile: join(out, `${name}.js`),
    logLevel: 'error',
    plugins: [wasmInline],
  });
writeFileSync(join(out, 'index.html'), '<!doctype html><input type="file"><script type="module" src="page.js"></script>\n');

const server = createServer((req, res) => {
  try {
    const name = (req.url ?? '/').replace(/^\/+/, '') || 'index.html';
    if (!/^[a-z]+\.(js|html)$/.test(name)) throw new Error('no');
    res.writeHead(200, { 'Content-Type': name.endsWith('.js') ? 'text/javascript' : 'text/html' });
    res.end(readFileSync(join(out, name)));
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;

/** Each entry's method, sizes and data offset, read by Python's zipfile (not by the verifier under test). */
function entriesOf(bundle: string): Array<{ method: number; offset: number; compressedSize: number; uncompressedSize: number }> {
  const py = `import json, struct, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
out = []
for i in z.infolist():
    z.fp.seek(i.header_offset)
    n, e = struct.unpack('<HH', z.fp.read(30)[26:30])
    out.append([i.compress_type, i.header_offset + 30 + n + e, i.compress_size, i.file_size])
print(json.dumps(out))`;
  const rows = JSON.parse(execFileSync('python3', ['-c', py, bundle], { encoding: 'utf8', maxBuffer: 256 * MiB })) as number[][];
  return rows.map(([method, offset, compressedSize, uncompressedSize]) => ({
    method: method!,
    offset: offset!,
    compressedSize: compressedSize!,
    uncompressedSize: uncompressedSize!,
  }));
}

/** bench:web's floor line: the primitives' rates on this bundle's real bytes, and the CPU its bytes need at those rates. */
async function floor(run: (expr: string) => Promise<unknown>, bundle: string): Promise<Record<string, unknown>> {
  const entries = entriesOf(bundle);
  const deflated = entries.filter((e) => e.method === 8);
  const largest = deflated.reduce<(typeof deflated)[number] | null>(
    (a, e) => (a && a.uncompressedSize >= e.uncompressedSize ? a : e),
    null,
  );
  const rates = (await run(`lever('floor', ${JSON.stringify(largest)})`)) as { sha256: number; crc32: number; inflate: number };
  const sum = (xs: typeof entries) => xs.reduce((n, e) => n + e.uncompressedSize, 0) / 1e6;
  const fileMb = statSync(bundle).size / 1e6;
  // To the status: the entries only; the file's SHA-256 follows it.
  const cpu = sum(entries) / rates.sha256 + sum(entries) / rates.crc32 + (rates.inflate ? sum(deflated) / rates.inflate : 0);
  const cores = availableParallelism();
  const fileCpuS = fileMb / rates.sha256;
  return {
    bundle,
    rates,
    mb: { entries: sum(entries), deflated: sum(deflated), file: fileMb },
    cpuS: cpu,
    cores,
    floorS: cpu / cores,
    fileCpuS,
  };
}

/** Every lever in turn, into `results`. */
async function measureLevers(page: Page, run: (expr: string) => Promise<unknown>): Promise<void> {
  results.sha = [];
  for (const piece of [20 * 1024, MiB, 4 * MiB, 32 * MiB]) (results.sha as unknown[]).push(await run(`lever('sha', ${piece})`));
  results.crc = [await run(`lever('crc', ${4 * MiB})`)];
  results.inflate = [await run(`lever('inflate', 'small')`), await run(`lever('inflate', 'large')`)];
  const file = process.argv[2];
  if (file) {
    await page.locator('input[type=file]').setInputFiles(file);
    results.read = [await run(`lever('read', ${4 * MiB})`), await run(`lever('read', ${16 * MiB})`)];
  }
  results.transfer = [];
  for (const size of [4 * MiB, 32 * MiB])
    for (const mode of ['copy', 'transfer'])
      (results.transfer as unknown[]).push(await run(`transfer(${size}, '${mode}', ${size > 4 * MiB ? 8 : 32})`));
  results.parallel = [];
  for (const what of ['wasm', 'js', 'webcrypto', 'inflate'])
    for (const k of [1, 2, 3, 4]) (results.parallel as unknown[]).push(await run(`parallel('${what}', ${k}, ${256 * MiB})`));
}

let floorResult: Record<string, unknown> | null = null;
const browser = await launch();
const results: Record<string, unknown> = { date: new Date().toISOString(), chromium: browser.version() };
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  const run = async (expr: string) => {
    process.stderr.write(`${expr}\n`);
    return page.evaluate(expr);
  };
  if (floorOf) {
    await page.locator('input[type=file]').setInputFiles(floorOf);
    floorResult = await floor(run, floorOf);
  } else await measureLevers(page, run);
} finally {
  await browser.close();
  server.close();
}

if (floorResult) {
  console.log(JSON.stringify(floorResult));
  process.exit(0);
}

type Rate = { mbps: number; msPerCall?: number; msPerEntry?: number };
const f = (r: Rate) => `${r.mbps.toFixed(0)} MB/s`;
console.log(`\nlevers in ${results.chromium as string}, ${results.date as string} (MB = 10^6 bytes)`);
for (const s of results.sha as Array<{ piece: number; webcrypto: Rate; webcrypto8: Rate; js: Rate; wasm: Rate }>)
  console.log(
    `sha256 ${s.piece >= MiB ? `${s.piece / MiB} MiB` : `${s.piece / 1024} KiB`} pieces: webcrypto ${f(s.webcrypto)}, webcrypto x8 in flight ${f(s.webcrypto8)}, js ${f(s.js)}, wasm ${f(s.wasm)}`,
  );
for (const c of results.crc as Array<{ js: Rate; wasm: Rate }>) console.log(`crc32 4 MiB: js ${f(c.js)}, wasm ${f(c.wasm)}`);
for (const i of results.inflate as Array<Record<string, Rate> & { kind: string; size: number; compressed: number }>) {
  const cols = Object.entries(i).filter(([, v]) => typeof v === 'object') as Array<[string, Rate]>;
  console.log(
    `inflate ${i.kind} (${i.size} -> ${i.compressed} bytes): ${cols.map(([k, v]) => `${k} ${f(v)}${v.msPerEntry != null ? ` ${(v.msPerEntry * 1000).toFixed(0)} us/entry` : ''}`).join(', ')}`,
  );
}
for (const r of (results.read as Array<{ piece: number } & Rate>) ?? [])
  console.log(`File.slice().arrayBuffer() ${r.piece / MiB} MiB pieces: ${f(r)}`);
for (const t of results.transfer as Array<{ size: number; mode: string; msPerChunk: number } & Rate>)
  console.log(`post ${t.size / MiB} MiB to a worker, ${t.mode}: ${t.msPerChunk.toFixed(2)} ms per chunk (${f(t)})`);
for (const p of results.parallel as Array<{ what: string; workers: number } & Rate>)
  console.log(`parallel ${p.what} x${p.workers}: ${f(p)} together`);
console.log(JSON.stringify(results));
