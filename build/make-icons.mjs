// Renders the icons electron-builder uses from icon.svg and evb.svg (rsvg-convert, from
// Debian's librsvg2-bin) and packs the Windows .ico and macOS .icns containers from the
// PNGs (both formats can hold PNG images as they are). Run: node build/make-icons.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function render(svg, size) {
  return execFileSync('rsvg-convert', ['-w', String(size), '-h', String(size), '-f', 'png', join(here, svg)], { maxBuffer: 64 * 1024 * 1024 });
}

/** ICO: ICONDIR, one ICONDIRENTRY per image, then the PNG data. */
export function packIco(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e);
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt8(0, e + 2);
    header.writeUInt8(0, e + 3);
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

const ICNS_TYPES = { 16: 'icp4', 32: 'icp5', 64: 'icp6', 128: 'ic07', 256: 'ic08', 512: 'ic09', 1024: 'ic10' };

/** ICNS: "icns" + total length, then (type, length, PNG) per image. */
export function packIcns(images) {
  const parts = images.map(({ size, png }) => {
    const h = Buffer.alloc(8);
    h.write(ICNS_TYPES[size], 0, 'ascii');
    h.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([h, png]);
  });
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [svg, base] of [['icon.svg', 'icon'], ['evb.svg', 'evb']]) {
    const png = Object.fromEntries([16, 24, 32, 48, 64, 128, 256, 512, 1024].map((s) => [s, render(svg, s)]));
    writeFileSync(join(here, `${base}.png`), png[1024]);
    writeFileSync(join(here, `${base}.ico`), packIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: png[size] }))));
    writeFileSync(join(here, `${base}.icns`), packIcns([16, 32, 64, 128, 256, 512, 1024].map((size) => ({ size, png: png[size] }))));
    if (base === 'icon') {
      mkdirSync(join(here, 'icons'), { recursive: true });
      for (const s of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) writeFileSync(join(here, 'icons', `${s}x${s}.png`), png[s]);
    }
  }
  console.log('icons written to', here, readFileSync(join(here, 'icon.icns')).length, 'bytes of icon.icns');
}
