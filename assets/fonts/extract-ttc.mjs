#!/usr/bin/env node
// Extracts one font of a TrueType Collection (.ttc) into a standalone .ttf, so that
// pdf-lib + fontkit (which embed single fonts only) can subset it. Tables are copied byte
// for byte; only the table offsets and head.checkSumAdjustment are rewritten.
// Usage: node assets/fonts/extract-ttc.mjs IN.ttc INDEX OUT.ttf
import { readFileSync, writeFileSync } from 'node:fs';

const [input, indexText, output] = process.argv.slice(2);
if (!input || !indexText || !output) {
  console.error('usage: extract-ttc.mjs IN.ttc INDEX OUT.ttf');
  process.exit(64);
}
const src = readFileSync(input);
if (src.toString('latin1', 0, 4) !== 'ttcf') throw new Error(`${input} is not a TrueType Collection`);
const numFonts = src.readUInt32BE(8);
const index = Number(indexText);
if (!(index >= 0 && index < numFonts)) throw new Error(`${input} holds ${numFonts} fonts; index ${indexText} is out of range`);
const base = src.readUInt32BE(12 + 4 * index);
const numTables = src.readUInt16BE(base + 4);
const tables = [];
for (let i = 0; i < numTables; i++) {
  const r = base + 12 + 16 * i;
  tables.push({ tag: src.toString('latin1', r, r + 4), checksum: src.readUInt32BE(r + 4), offset: src.readUInt32BE(r + 8), length: src.readUInt32BE(r + 12) });
}
const pad4 = (n) => (n + 3) & ~3;
const headerSize = 12 + 16 * numTables;
let size = headerSize;
for (const t of tables) size += pad4(t.length);
const out = Buffer.alloc(size);
src.copy(out, 0, base, base + 12); // sfnt version, numTables, searchRange, entrySelector, rangeShift
let at = headerSize;
let headAt = -1;
tables.forEach((t, i) => {
  const r = 12 + 16 * i;
  out.write(t.tag, r, 'latin1');
  out.writeUInt32BE(t.checksum, r + 4);
  out.writeUInt32BE(at, r + 8);
  out.writeUInt32BE(t.length, r + 12);
  src.copy(out, at, t.offset, t.offset + t.length);
  if (t.tag === 'head') headAt = at;
  at += pad4(t.length);
});
if (headAt >= 0) {
  out.writeUInt32BE(0, headAt + 8);
  let sum = 0;
  for (let i = 0; i < out.length; i += 4) sum = (sum + out.readUInt32BE(i)) >>> 0;
  out.writeUInt32BE((0xb1b0afba - sum) >>> 0, headAt + 8);
}
writeFileSync(output, out);
console.log(`${output}: font ${index} of ${numFonts}, ${numTables} tables, ${out.length} bytes`);
