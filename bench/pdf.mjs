#!/usr/bin/env node
// npm run bench:pdf (also run by npm run bench) — the PDF gate summary of the demo bundle
// (goal: under 1 s warm), beside two references measured in the same run:
//   - pdf-lib building a plain one-page document with a standard font (the library's floor);
//   - poppler's pdftotext reading the produced file back (an independent tool on the same bytes).
// Times are wall clock; "first" includes the fonts' first parse, "best" is the best of RUNS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { register } from 'tsx/esm/api';

register();
const root = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.RUNS ?? 5);
const { buildDemoBundle } = await import(join(root, 'shared/model/demo-bundle.ts'));
const { verifyBundle } = await import(join(root, 'shared/evb/verify.ts'));
const { parsePacket } = await import(join(root, 'shared/model/packet.ts'));
const { parseTrustStore } = await import(join(root, 'shared/evb/trust.ts'));
const { bytesSource } = await import(join(root, 'shared/platform/ports.ts'));
const { nodePlatform } = await import(join(root, 'shared/platform/node.ts'));
const { buildGateSummary } = await import(join(root, 'shared/report/gate-summary.ts'));
const { PDFDocument, StandardFonts } = await import('pdf-lib');

const fontsDir = join(root, 'assets/fonts');
const fonts = {
  regular: new Uint8Array(readFileSync(join(fontsDir, 'DejaVuSans.ttf'))),
  bold: new Uint8Array(readFileSync(join(fontsDir, 'DejaVuSans-Bold.ttf'))),
  mono: new Uint8Array(readFileSync(join(fontsDir, 'DejaVuSansMono.ttf'))),
  fallback: new Uint8Array(readFileSync(join(fontsDir, 'WenQuanYiMicroHei.ttf'))),
};
const at = new Date('2026-11-20T10:00:00Z');
const demo = await buildDemoBundle();
const trust = await parseTrustStore(demo.trust, 'demo.trust.json');
const v = await verifyBundle(bytesSource(demo.bundle, 'demo.evb'), {
  platform: nodePlatform,
  trust,
  checkPacket: parsePacket,
  trustStoreName: 'demo.trust.json',
  at,
});
const packetJson = await v.readEntry('data/packet.json');
const packet = JSON.parse(new TextDecoder().decode(packetJson));
const input = (p = packet) => ({
  packet: p,
  report: v.report,
  fonts,
  attachments: { packetJson },
  generatedAt: at,
  exhibitVersion: 'bench',
  signoff: { reviewer: 'Bench Reviewer', role: 'CISO' },
});

async function time(fn) {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}
async function best(fn) {
  let min = Infinity;
  let last;
  for (let i = 0; i < RUNS; i++) {
    const [ms, r] = await time(fn);
    min = Math.min(min, ms);
    last = r;
  }
  return [min, last];
}

const [first, firstResult] = await time(() => buildGateSummary(input()));
const [demoMs, demoResult] = await best(() => buildGateSummary(input()));
const cjk = { ...packet, title: `${packet.title} — 审核 검토` };
const [cjkMs, cjkResult] = await best(() => buildGateSummary(input(cjk)));
const [plainMs] = await best(async () => {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Release gate summary', { x: 50, y: 750, size: 14, font });
  return doc.save();
});
const dir = mkdtempSync(join(tmpdir(), 'exhibit-bench-pdf-'));
const file = join(dir, 'demo.pdf');
writeFileSync(file, demoResult.bytes);
const [pdftotextMs] = await best(async () => execFileSync('pdftotext', [file, '-']));

const f = (ms) => `${ms.toFixed(0).padStart(5)} ms`;
console.log(`PDF gate summary, demo bundle (${demoResult.pageCount} pages, ${demoResult.bytes.length} bytes), best of ${RUNS}:`);
console.log(`  exhibit summary PDF, first build        ${f(first)}  (${firstResult.pageCount} pages)`);
console.log(`  exhibit summary PDF, warm               ${f(demoMs)}  goal < 1000 ms: ${demoMs < 1000 ? 'met' : 'NOT met'}`);
console.log(`  same with CJK (fallback font embedded)  ${f(cjkMs)}  (${cjkResult.bytes.length} bytes)`);
console.log(`  reference: pdf-lib plain one-page doc   ${f(plainMs)}`);
console.log(`  reference: pdftotext of the PDF         ${f(pdftotextMs)}`);
process.exit(demoMs < 1000 ? 0 : 1);
