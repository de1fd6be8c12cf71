// One status, one look: the PDF paints a status in one colour (its header word, its band and
// its status row), and the CLI, the UI and the PDF give every status the same label. Read
// the way a person sees it: page 1 rasterized by poppler's pdftoppm and sampled where
// pdftotext says the words are.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { buildDemoBundle } from '../../shared/model/demo-bundle';
import { DEMO_BUNDLE_ID, buildDemoPayload } from '../../shared/model/demo';
import { makeBag, zipBag } from '../../shared/evb/writer';
import { verifyBundle } from '../../shared/evb/verify';
import { emptyTrustStore, parseTrustStore, revokeTrustedKey } from '../../shared/evb/trust';
import type { TrustStore } from '../../shared/evb/crypto-types';
import { bytesSource } from '../../shared/platform/ports';
import { nodePlatform } from '../../shared/platform/node';
import type { BundleStatus, VerificationReport } from '../../shared/evb/report';
import type { Packet } from '../../shared/model/packet-types';
import { parsePacket } from '../../shared/model/packet';
import { STATUS_TABLE, statusHeadline } from '../../shared/evb/status';
import { buildGateSummaryPdf } from '../../shared/report/gate-summary';
import { formatReport } from '../../cli/format';
import { USAGE as VERIFY_USAGE } from '../../cli/commands/verify';
import { ContentLabel, StatusBadge } from '../../renderer/components/StatusBadge';
import { StatusStrip } from '../../renderer/shell/StatusStrip';
import type { Phase } from '../../renderer/useBundleSession';

const FONTS = join(__dirname, '../../assets/fonts');
const font = (name: string) => new Uint8Array(readFileSync(join(FONTS, name)));
const fonts = { regular: font('DejaVuSans.ttf'), bold: font('DejaVuSans-Bold.ttf'), mono: font('DejaVuSansMono.ttf') };
const AT = new Date('2026-11-20T10:00:00Z');
const DPI = 200;
const dir = mkdtempSync(join(tmpdir(), 'exhibit-status-'));
const ALL = Object.keys(STATUS_TABLE) as BundleStatus[];

type Pdf = { file: string; report: VerificationReport };
const pdfs = new Map<BundleStatus, Pdf>();

/** The demo bundle's payload bagged by Exhibit's writer (as `exhibit pack` does), unsigned. */
const noop = () => {};

async function unsignedBundle(change?: (bag: Map<string, Uint8Array>) => void): Promise<Uint8Array> {
  const bag = await makeBag(buildDemoPayload(), { bundleId: DEMO_BUNDLE_ID, baggingDate: '2026-11-02', softwareAgent: 'Exhibit test' });
  change?.(bag);
  return zipBag(DEMO_BUNDLE_ID, bag);
}

async function summarize(name: string, bundle: Uint8Array, trust: TrustStore): Promise<Pdf> {
  const v = await verifyBundle(bytesSource(bundle, `${name}.evb`), {
    platform: nodePlatform,
    trust,
    trustStoreName: name,
    at: AT,
    checkPacket: parsePacket,
  });
  const packetJson = await v.readEntry('data/packet.json');
  const packet = JSON.parse(new TextDecoder().decode(packetJson)) as Packet;
  const file = join(dir, `${name}.pdf`);
  writeFileSync(
    file,
    await buildGateSummaryPdf({ packet, report: v.report, fonts, attachments: { packetJson }, generatedAt: AT, exhibitVersion: 'test' }),
  );
  return { file, report: v.report };
}

beforeAll(async () => {
  const demo = await buildDemoBundle();
  const trust = await parseTrustStore(demo.trust, 'demo.trust.json');
  const revoked = trust.keys.reduce((t, k) => revokeTrustedKey(t, k.keyid, '2026-11-10T00:00:00Z', 'key leaked'), trust);
  // As a person would edit trust.json: both keys valid until the middle of 2026.
  const expired = { keys: trust.keys.map((k) => ({ ...k, valid_until: '2026-06-30T00:00:00Z' })) };
  const flipped = await unsignedBundle((bag) => {
    const path = [...bag.keys()].find((p) => p.startsWith('data/replays/'))!;
    const bytes = new Uint8Array(bag.get(path)!);
    bytes[10]! ^= 1;
    bag.set(path, bytes);
  });
  const cases: Array<[BundleStatus, Uint8Array, TrustStore]> = [
    ['verified', demo.bundle, trust],
    ['untrusted-signer', demo.bundle, emptyTrustStore()],
    ['unsigned', await unsignedBundle(), trust],
    ['key-expired', demo.bundle, expired],
    ['key-revoked', demo.bundle, revoked],
    ['tampered', flipped, trust],
  ];
  for (const [status, bundle, t] of cases) pdfs.set(status, await summarize(status, bundle, t));
});

interface Word {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The words of page 1 with their boxes, in points from the top left. */
function words(file: string): Word[] {
  const xml = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return [...xml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    x0: Number(m[1]),
    y0: Number(m[2]),
    x1: Number(m[3]),
    y1: Number(m[4]),
    text: m[5]!,
  }));
}

interface Raster {
  width: number;
  height: number;
  data: Buffer;
}

/** Page 1 as RGB pixels (binary PPM from pdftoppm). */
function raster(file: string): Raster {
  const ppm = execFileSync('pdftoppm', ['-r', String(DPI), '-f', '1', '-l', '1', file], { maxBuffer: 64 << 20 });
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 32).toString('latin1'))!;
  return { width: Number(header[1]), height: Number(header[2]), data: ppm.subarray(header[0].length) };
}

/** The darkest pixel inside a word's box: the ink of dark text on white, or the fill behind white text. */
function inkOf(r: Raster, w: Word): [number, number, number] {
  const px = (pt: number) => Math.round((pt * DPI) / 72);
  let best: [number, number, number] = [255, 255, 255];
  for (let y = px(w.y0); y < px(w.y1); y++)
    for (let x = px(w.x0); x < px(w.x1); x++) {
      const i = (y * r.width + x) * 3;
      const c: [number, number, number] = [r.data[i]!, r.data[i + 1]!, r.data[i + 2]!];
      if (c[0] + c[1] + c[2] < best[0] + best[1] + best[2]) best = c;
    }
  return best;
}

const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 3);

/** Where a PDF shows its status: the header word, the band (when there is one) and the status row. */
function statusPlaces(status: BundleStatus): { header: Word; band: Word | null; row: Word; headerLine: string } {
  const all = words(pdfs.get(status)!.file);
  const first = STATUS_TABLE[status].label.toUpperCase().split(' ')[0]!;
  const hits = all.filter((w) => w.text === first);
  const header = hits.find((w) => w.y0 < 40)!;
  const band = hits.find((w) => w.y0 >= 40 && w.y0 < 100) ?? null;
  const row = hits.find((w) => w.y0 >= 100)!;
  expect(header, `${status}: header`).toBeDefined();
  expect(row, `${status}: status row`).toBeDefined();
  const headerLine = all
    .filter((w) => Math.abs(w.y0 - header.y0) < 1 && w.x0 >= header.x0)
    .map((w) => w.text)
    .join(' ');
  return { header, band, row, headerLine };
}

describe('the PDF paints a status in one colour', () => {
  it('unsigned: the header word, the band and the status row share one colour', () => {
    const { header, band, row } = statusPlaces('unsigned');
    const r = raster(pdfs.get('unsigned')!.file);
    expect(pdfs.get('unsigned')!.report.status).toBe('unsigned');
    expect(band).not.toBeNull();
    const colours = { header: inkOf(r, header), band: inkOf(r, band!), row: inkOf(r, row) };
    expect(close(colours.header, colours.band), JSON.stringify(colours)).toBe(true);
    expect(close(colours.header, colours.row), JSON.stringify(colours)).toBe(true);
  });

  it('every status: one colour in all its places, and the same colour exactly for the statuses of one tone', () => {
    const byTone = new Map<string, number[]>();
    for (const [status, pdf] of pdfs) {
      expect(pdf.report.status).toBe(status);
      const { header, band, row } = statusPlaces(status);
      const r = raster(pdf.file);
      const colour = inkOf(r, header);
      expect(
        colour.some((v) => v < 200),
        `${status}: header is drawn`,
      ).toBe(true);
      expect(close(colour, inkOf(r, row)), `${status}: status row`).toBe(true);
      expect(band === null, `${status}: band`).toBe(STATUS_TABLE[status].advice === null);
      if (band) expect(close(colour, inkOf(r, band)), `${status}: band`).toBe(true);
      const tone = STATUS_TABLE[status].tone;
      const seen = byTone.get(tone);
      if (seen) expect(close(seen, colour), `${status}: as the other ${tone} statuses`).toBe(true);
      else byTone.set(tone, colour);
    }
    expect(byTone.size).toBe(3);
    const [ok, warn, bad] = ['ok', 'warn', 'bad'].map((t) => byTone.get(t)!);
    expect(close(ok!, warn!) || close(warn!, bad!) || close(ok!, bad!)).toBe(false);
  });
});

describe('the CLI, the UI and the PDF give every status the same label', () => {
  const uiLabel = (status: BundleStatus) =>
    /<strong class="status-word">([^<]*)<\/strong>/.exec(renderToStaticMarkup(<StatusBadge status={status} />))![1]!;

  it.each(ALL)('%s', (status) => {
    const report = { ...pdfs.get('verified')!.report, status };
    const cli = formatReport(report, false).split('\n')[0]!.split('  ')[0]!;
    const ui = uiLabel(status);
    expect(cli).toBe(ui.toUpperCase());
    expect(ui).toBe(STATUS_TABLE[status].label);
    if (status !== 'malformed') {
      // (A malformed bundle gets no PDF.) The header of every page ends with the label.
      expect(statusPlaces(status).headerLine).toBe(cli);
    }
    if (status !== 'verified' && status !== 'malformed') {
      const label = /<strong>([^<]*)<\/strong>/.exec(renderToStaticMarkup(<ContentLabel status={status} />))![1];
      expect(label).toBe(ui);
    }
  });

  it("says each status's headline in the CLI, the UI and the PDF's status row", () => {
    for (const status of ALL) {
      const { headline } = STATUS_TABLE[status];
      if (status !== 'verified') expect(formatReport({ ...pdfs.get('verified')!.report, status }, false)).toContain(headline);
      expect(renderToStaticMarkup(<StatusBadge status={status} />)).toContain(headline.replace(/'/g, '&#x27;'));
    }
    const page1 = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-enc', 'UTF-8', pdfs.get('unsigned')!.file, '-'], { encoding: 'utf8' });
    expect(page1.replace(/\s+/g, ' ')).toContain(`UNSIGNED \u2014 ${STATUS_TABLE.unsigned.headline}`);
  });

  it('says "verified at" only of a verified bundle, and "checked at" of the others', () => {
    const page1 = (status: BundleStatus) =>
      execFileSync('pdftotext', ['-f', '1', '-l', '1', '-enc', 'UTF-8', pdfs.get(status)!.file, '-'], { encoding: 'utf8' });
    expect(page1('verified')).toContain('Verified at');
    for (const status of ['untrusted-signer', 'unsigned', 'key-expired', 'key-revoked', 'tampered'] as const) {
      expect(page1(status), status).not.toContain('Verified at');
      expect(page1(status), status).toContain('Checked at');
    }
  });

  it('gives a bundle signed by trusted keys in roles they may not sign the role headline, in the CLI, the status strip and the PDF', async () => {
    const demo = await buildDemoBundle();
    const trust = await parseTrustStore(demo.trust, 'demo.trust.json');
    const noRole = { keys: trust.keys.map((k) => ({ ...k, roles: ['auditor-of-nothing'] })) };
    const pdf = await summarize('role-not-allowed', demo.bundle, noRole);
    expect(pdf.report.status).toBe('untrusted-signer');
    const headline = statusHeadline(pdf.report);
    expect(headline).toContain('as a role that key may not sign');
    expect(formatReport(pdf.report, false)).toContain(headline);
    const handle = { id: 'h', name: 'role.evb', size: 1 };
    const phase = { kind: 'open', handle, report: pdf.report } as unknown as Phase;
    const strip = renderToStaticMarkup(
      <StatusStrip phase={phase} signaturesOpen={false} onSignatures={noop} onVerifyAgain={noop} onClose={noop} />,
    );
    expect(strip).toContain(headline);
    const page1 = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-enc', 'UTF-8', pdf.file, '-'], { encoding: 'utf8' });
    const text = page1.replace(/\s+/g, ' ');
    // The status row (cut to two lines) and the band on every page both say what happened.
    expect(text).toContain(`UNTRUSTED SIGNER \u2014 ${headline.slice(0, 60)}`);
    expect(text).toContain('UNTRUSTED SIGNER \u2014 signed by a trusted key, but as a role that key may not sign');
    expect(text).not.toContain('no trusted key or identity signed this bundle');
  });

  it("colours the recent-bundles pills (per status in styles.css until they use the tone) by each status's tone", () => {
    const css = readFileSync(join(__dirname, '../../renderer/styles.css'), 'utf8');
    for (const status of ALL) {
      const rule = [...css.matchAll(/([^{}]+)\{([^}]*)\}/g)].find((m) =>
        m[1]!.split(',').some((sel) => sel.trim() === `.pill-status-${status}`),
      );
      expect(rule, status).toBeDefined();
      expect(rule![2], status).toContain(`color: var(--${STATUS_TABLE[status].tone});`);
    }
  });

  it("states each status's exit code in 'exhibit verify --help' as the CLI returns it", async () => {
    const { STATUS_EXIT_CODE } = await import('../../shared/evb/report');
    const groups = /Exit codes: ([\s\S]*?); 64 usage/.exec(VERIFY_USAGE)![1]!.replace(/\s+/g, ' ').split('; ');
    for (const status of ALL) {
      const group = groups.find((g) => g.split(/[ ,]+/).includes(status));
      expect(group, status).toBeDefined();
      expect(group!.split(' ')[0], status).toBe(String(STATUS_EXIT_CODE[status]));
    }
  });
});
