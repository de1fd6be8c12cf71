// The PDF gate summary, checked the way a reader would: poppler's pdftotext,
// pdfinfo and pdfdetach on the produced file, built from the demo bundle as verified.
import { codeWithWords } from '../../shared/model/code-words';
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoBundle } from '../../shared/model/demo-bundle';
import { verifyBundle } from '../../shared/evb/verify';
import { parsePacket } from '../../shared/model/packet';
import { parseTrustStore } from '../../shared/evb/trust';
import { emptyTrustStore } from '../../shared/evb/trust';
import { bytesSource } from '../../shared/platform/ports';
import { nodePlatform } from '../../shared/platform/node';
import type { VerificationReport } from '../../shared/evb/report';
import type { Packet } from '../../shared/model/packet-types';
import { buildChecklist } from '../../shared/model/checklist';
import { agentNames, stepName } from '../../shared/model/agent-names';
import { GateSummaryError, buildGateSummary, buildGateSummaryPdf } from '../../shared/report/gate-summary';
import type { GateSummaryInput } from '../../shared/report/gate-summary';

const FONTS = join(__dirname, '../../assets/fonts');
const fonts = {
  regular: new Uint8Array(readFileSync(join(FONTS, 'DejaVuSans.ttf'))),
  bold: new Uint8Array(readFileSync(join(FONTS, 'DejaVuSans-Bold.ttf'))),
  mono: new Uint8Array(readFileSync(join(FONTS, 'DejaVuSansMono.ttf'))),
  fallback: new Uint8Array(readFileSync(join(FONTS, 'WenQuanYiMicroHei.ttf'))),
};
const AT = new Date('2026-11-20T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'exhibit-pdf-'));
let n = 0;

let report: VerificationReport;
let untrusted: VerificationReport;
let packetJson: Uint8Array;
let packet: Packet;

beforeAll(async () => {
  const demo = await buildDemoBundle();
  const trust = await parseTrustStore(demo.trust, 'demo.trust.json');
  const v = await verifyBundle(bytesSource(demo.bundle, 'demo.evb'), {
    platform: nodePlatform,
    trust,
    checkPacket: parsePacket,
    trustStoreName: 'demo.trust.json (2 keys)',
    at: AT,
  });
  report = v.report;
  packetJson = await v.readEntry('data/packet.json');
  packet = JSON.parse(new TextDecoder().decode(packetJson)) as Packet;
  untrusted = (
    await verifyBundle(bytesSource(demo.bundle, 'demo.evb'), {
      platform: nodePlatform,
      trust: emptyTrustStore(),
      checkPacket: parsePacket,
      trustStoreName: 'empty trust store',
      at: AT,
    })
  ).report;
});

function input(over: Partial<GateSummaryInput> = {}): GateSummaryInput {
  return { packet, report, fonts, attachments: { packetJson }, generatedAt: AT, exhibitVersion: '0.1.0-test', ...over };
}

function save(bytes: Uint8Array): string {
  const file = join(dir, `s${n++}.pdf`);
  writeFileSync(file, bytes);
  return file;
}

function text(file: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return execFileSync('pdftotext', [...range, '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

function pages(file: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
}

/** Text with all whitespace removed, so wrapped digests still match. */
const squash = (s: string) => s.replace(/\s+/g, '');

describe('page 1: the one-page gate summary', () => {
  let page1: string;
  let file: string;
  beforeAll(async () => {
    file = save(
      await buildGateSummaryPdf(
        input({ signoff: { reviewer: 'Jördis Ng', role: 'CISO', decision: 'Approve the conditional ship', date: '2026-11-20' } }),
      ),
    );
    page1 = text(file, 1);
  });

  it('states the decision, what forced it and its conditions', () => {
    expect(packet.decision.recommendation).toBe('conditional_ship');
    expect(page1).toContain('CONDITIONAL SHIP');
    expect(page1).toContain(packet.decision.deciding_metric);
    for (const c of packet.decision.conditions) expect(squash(page1)).toContain(squash(c).slice(0, 40));
  });

  it('flags the decision as contradicting the gate: a conditional ship on a Fail verdict, a condition triggered', () => {
    expect(packet.gate.verdict).toBe('fail');
    const triggered = packet.gate.auto_fail_conditions.filter((c) => c.triggered).map((c) => c.key);
    expect(triggered.length).toBeGreaterThan(0);
    expect(squash(page1)).toContain(
      squash(`\u2717 Contradicts the gate: conditional ship on a FAIL verdict with ${triggered.map(codeWithWords).join(', ')} triggered.`),
    );
    expect(squash(page1)).toContain(squash('with Network access outside the allowlist (egress_outside_allowlist) triggered.'));
  });

  it('gives the gate verdict and reason code, candidate and baseline, pack and input set', () => {
    expect(page1).toContain(packet.gate.verdict.toUpperCase());
    expect(page1).toContain(packet.gate.reason_code);
    for (const p of [packet.candidate, packet.baseline]) {
      expect(page1).toContain(p.label);
      expect(page1).toContain(p.agent_build_id!);
      expect(page1).toContain(p.deployment_id!);
      expect(page1).toContain(p.run_id);
    }
    expect(page1).toContain(`${packet.workload.challenge_pack.slug} v${packet.workload.challenge_pack.version_number}`);
    expect(page1).toContain(packet.workload.input_set.key);
    expect(squash(page1)).toContain(packet.workload.input_set.input_sha256!);
  });

  it('lists every dimension with its outcome, and an unavailable one as unavailable, never 0', () => {
    for (const [key, d] of Object.entries(packet.gate.dimension_results)) {
      expect(page1).toContain(key);
      if (d.outcome !== 'unavailable') expect(page1).toContain(d.outcome.toUpperCase());
    }
    const unavailable = Object.entries(packet.gate.dimension_results).filter(([, d]) => d.outcome === 'unavailable');
    expect(unavailable.length).toBeGreaterThan(0);
    expect(page1).toContain('unavailable');
    // In layout mode a table row is one line: the unavailable row reads "unavailable" where
    // values would be, never 0.
    const layout = execFileSync('pdftotext', ['-layout', '-f', '1', '-l', '1', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).split(
      '\n',
    );
    for (const [key, d] of unavailable) {
      const row = layout.find((l) => new RegExp(`^\\s*${key}\\s+${d.better_direction}\\s`).test(l));
      expect(row, key).toBeDefined();
      expect(row!).toMatch(new RegExp(`${key}\\s+${d.better_direction}\\s+unavailable\\s+unavailable\\s+unavailable\\s`));
      expect(row!.replace(/\s\d+(\.\d+)?\s+\d+(\.\d+)?\s+unavailable\s*$/, '')).not.toMatch(/\s0(\.0+)?\s/);
    }
    expect(page1).not.toMatch(/\$0\.00/);
  });

  it('labels the evidence tier of every agent, with the legend', () => {
    for (const a of packet.agents) expect(page1).toContain(a.run_agent_id);
    expect(page1).toContain('Native structured');
    expect(page1).toContain('Tiers, strongest first');
    expect(page1).toContain('Hosted black box');
  });

  it('carries the verification block: status, ids, digests, each signer, time and trust store', () => {
    expect(page1).toContain('VERIFIED');
    expect(page1).toContain(report.bundleId!);
    expect(squash(page1)).toContain(report.fileSha256!);
    expect(squash(page1)).toContain(report.tagmanifestSha256!);
    expect(report.signatures.length).toBe(2);
    for (const s of report.signatures) {
      expect(squash(page1)).toContain(squash(s.principal!));
      expect(page1).toContain(s.role!);
      expect(squash(page1)).toContain(s.keyFingerprint!);
      expect(squash(page1)).toContain(squash(s.claimedTime!));
    }
    expect(page1).toContain('valid, trusted');
    expect(page1).toContain(report.verifiedAt);
    expect(page1).toContain('demo.trust.json (2 keys)');
  });

  it('names the owners and fills the sign-off block', () => {
    expect(page1).toContain(packet.owners.release_owner!.name);
    expect(page1).toContain(packet.owners.rollback_owner!.name);
    for (const v of ['Reviewer', 'Jördis Ng', 'CISO', 'Approve the conditional ship', '2026-11-20', 'Signature'])
      expect(page1).toContain(v);
  });

  it('fits page 1 on one page: the sign-off block is on it', () => {
    expect(page1).toContain('Sign-off');
    expect(text(file, 2)).not.toContain('Sign-off');
  });
});

describe('the following pages and every page', () => {
  let file: string;
  let all: string;
  beforeAll(async () => {
    file = save(
      await buildGateSummaryPdf(
        input({
          notes: [
            {
              runAgentId: packet.candidate.run_agent_id,
              sequence: 12,
              text: 'Checked: the egress call never left the sandbox.',
              author: 'Ana Auditor',
              createdAt: '2026-11-19T08:00:00Z',
            },
          ],
        }),
      ),
    );
    all = text(file);
  });

  it('has the checklist with met/missing and the fields, the slices, driving cases, notes and the manifest', () => {
    // The checklist as the Overview shows it: with the verification report, so the named
    // approvers are checked against the signers (issue 18.2) in the PDF too.
    const items = buildChecklist(packet, report);
    expect(items.map((c) => c.key)).toContain('approvers-signed');
    expect(squash(all)).toContain(squash('Priya Raman (Security reviewer) is named as an approver but did not sign'));
    for (const c of items) {
      expect(squash(all)).toContain(squash(c.title).slice(0, 18)); // a wrapped cell may interleave with its neighbour in extraction
      expect(all).toContain(c.state === 'met' ? '✓ met' : '✗ missing');
      for (const f of c.fields) expect(squash(all)).toContain(f);
    }
    for (const h of [
      'Security',
      'Compliance: traceability chain',
      'Engineering',
      'Finance',
      'Cases that drove the verdict',
      'Reviewer notes',
      'Files reviewed (the manifest)',
    ])
      expect(all).toContain(h);
    const driving = packet.cases.filter((c) => c.drove_verdict);
    expect(driving.length).toBeGreaterThan(0);
    for (const c of driving) {
      expect(all).toContain(c.case_key);
      // Named as the UI names a replay step (issue 18.4): "candidate · step 69".
      for (const r of c.refs) expect(all).toContain(stepName(agentNames(packet.agents), r.run_agent_id, r.sequence_number));
    }
    expect(all).toContain('Checked: the egress call never left the sandbox.');
    for (const f of report.files) {
      expect(squash(all)).toContain(squash(f.path));
      expect(squash(all)).toContain(f.actualSha256!);
    }
  });

  it("prints a note without an author under the sign-off reviewer's name, when that field is filled", async () => {
    const note = {
      runAgentId: packet.candidate.run_agent_id,
      sequence: 3,
      text: 'Unsigned note.',
      author: null,
      createdAt: '2026-11-19T09:00:00Z',
    };
    const named = text(save(await buildGateSummaryPdf(input({ notes: [note], signoff: { reviewer: 'Jördis Ng' } }))));
    expect(squash(named)).toContain(squash('Jördis Ng, 2026-11-19T09:00:00Z'));
    const unnamed = text(save(await buildGateSummaryPdf(input({ notes: [note] }))));
    expect(squash(unnamed)).toContain(squash('unnamed, 2026-11-19T09:00:00Z'));
    expect(squash(all)).toContain(squash('Ana Auditor, 2026-11-19T08:00:00Z')); // a note's own author stays
  });

  it('puts the header (bundle id, status) and the footer (page n of N, bundle SHA-256 prefix) on every page', () => {
    const total = pages(file);
    expect(total).toBeGreaterThan(1);
    for (let p = 1; p <= total; p++) {
      const t = text(file, p);
      expect(t).toContain(`Exhibit gate summary · ${report.bundleId}`);
      expect(t).toContain('VERIFIED');
      expect(t).toContain(`Page ${p} of ${total}`);
      expect(t).toContain(report.fileSha256!.slice(0, 16));
      expect(t).not.toContain('do not rely');
    }
  });

  it('attaches packet.json, each statement and the report, byte for byte', () => {
    const list = execFileSync('pdfdetach', ['-list', file], { encoding: 'utf8' });
    for (const name of ['packet.json', 'statement-1.json', 'statement-2.json', 'verification-report.json']) expect(list).toContain(name);
    const out = mkdtempSync(join(dir, 'detach-'));
    execFileSync('pdfdetach', ['-saveall', '-o', out, file]);
    expect(readdirSync(out).sort()).toEqual(['packet.json', 'statement-1.json', 'statement-2.json', 'verification-report.json']);
    expect(Buffer.from(readFileSync(join(out, 'packet.json'))).equals(Buffer.from(packetJson))).toBe(true);
    report.signatures.forEach((s, i) => expect(readFileSync(join(out, `statement-${i + 1}.json`), 'utf8')).toBe(s.statement));
    const { elapsedMs: _e, ...reportRecord } = report;
    expect(JSON.parse(readFileSync(join(out, 'verification-report.json'), 'utf8'))).toEqual(reportRecord);
  });

  it('sets the metadata: title, subject, author, creator, dates, keywords, XMP', async () => {
    const f = save(await buildGateSummaryPdf(input({ signoff: { reviewer: 'Jördis Ng' } })));
    const info = execFileSync('pdfinfo', [f], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+Gate summary: Support agent/);
    expect(info).toMatch(new RegExp(`Subject:\\s+Bundle ${report.bundleId}, status verified`));
    expect(info).toMatch(/Author:\s+Jördis Ng/);
    expect(info).toMatch(/Creator:\s+Exhibit 0\.1\.0-test/);
    expect(info).toMatch(/Keywords:.*verdict:fail.*tier:native_structured/);
    expect(info).toMatch(/CreationDate:\s+Fri Nov 20 10:00:00 2026 UTC/);
    expect(info).toMatch(/Metadata Stream:\s+yes/);
    const xmp = execFileSync('pdfinfo', ['-meta', f], { encoding: 'utf8' });
    expect(xmp).toContain('<xmp:CreateDate>2026-11-20T10:00:00Z</xmp:CreateDate>');
    expect(xmp).toContain('<rdf:li>Jördis Ng</rdf:li>');
  });
});

describe('a bundle that is not verified', () => {
  it.each([
    ['tampered', 'TAMPERED — do not rely on this document'],
    ['untrusted-signer', 'UNTRUSTED SIGNER — no trusted key or identity signed this bundle'],
  ] as const)('%s: carries the band on every page', async (status, band) => {
    const r = status === 'untrusted-signer' ? untrusted : { ...report, status, summary: 'A payload file does not match its digest.' };
    expect(r.status).toBe(status);
    const file = save(await buildGateSummaryPdf(input({ report: r })));
    const total = pages(file);
    expect(total).toBeGreaterThan(2);
    for (let p = 1; p <= total; p++) expect(text(file, p)).toContain(band);
    // The band costs room; page 1 still holds the whole summary with its sign-off block.
    expect(text(file, 1)).toContain('Sign-off');
    expect(text(file, 2)).not.toContain('Sign-off');
  });

  it('malformed: no summary, an error value with a code', async () => {
    const err = await buildGateSummary(input({ report: { ...report, status: 'malformed' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GateSummaryError);
    expect((err as GateSummaryError).code).toBe('pdf-malformed-bundle');
  });
});

describe('text', () => {
  it('extracts accents, a check mark and CJK intact, with the fallback font embedded', async () => {
    const p: Packet = structuredClone(packet);
    p.title = 'Révision naïve ✓ 中文评审 한국어 — Zoë';
    p.owners.release_owner = { name: 'Łukasz Żółć 王小明', email: null };
    const r = await buildGateSummary(input({ packet: p }));
    expect(r.fallbackUsed).toBe(true);
    expect(r.missingGlyphs).toBe(0);
    const t = text(save(r.bytes), 1);
    expect(t).toContain('Révision naïve ✓ 中文评审 한국어 — Zoë');
    expect(t).toContain('Łukasz Żółć 王小明');
    expect(execFileSync('pdffonts', [save(r.bytes)], { encoding: 'utf8' })).toMatch(/EXHBFB\+Fallback\s+CID TrueType\s+Identity-H\s+yes/);
  });

  it('shows a character no font has as a visible marker and counts it', async () => {
    const p: Packet = structuredClone(packet);
    p.title = 'Thai ก and a bell \u0007 here';
    const r = await buildGateSummary(input({ packet: p }));
    expect(r.missingGlyphs).toBeGreaterThanOrEqual(2);
    expect(r.missingCodePoints).toEqual(expect.arrayContaining(['U+0E01', 'U+0007']));
    expect(text(save(r.bytes), 1)).toContain('Thai \uFFFD and a bell \uFFFD here');
  });

  it('keeps 10,000-character strings without spaces inside the page', async () => {
    const long = 'A'.repeat(4000) + '中'.repeat(1000) + 'x'.repeat(5000);
    const p: Packet = structuredClone(packet);
    p.title = long;
    p.candidate.label = long;
    p.decision.conditions = [long, 'W'.repeat(10000)];
    p.owners.release_owner = { name: long, email: long };
    p.cases[0]!.title = long;
    p.cases[0]!.drove_verdict = true;
    const r = await buildGateSummary(
      input({
        packet: p,
        signoff: { reviewer: long, role: long, decision: long, date: long },
        notes: [{ runAgentId: long, sequence: 1, text: long, author: long, createdAt: long }],
      }),
    );
    const file = save(r.bytes);
    expect(r.pageCount).toBeLessThan(40);
    const bbox = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const boxes = [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"/g)].map((m) =>
      m.slice(1).map(Number),
    );
    expect(boxes.length).toBeGreaterThan(100);
    for (const [x0, y0, x1, y1] of boxes) {
      expect(x0!).toBeGreaterThanOrEqual(39);
      expect(x1!).toBeLessThanOrEqual(595.28 - 39);
      expect(y0!).toBeGreaterThanOrEqual(0);
      expect(y1!).toBeLessThanOrEqual(841.89);
    }
    expect(text(file, 1)).toContain('…');
  });
});

describe('determinism', () => {
  it('gives the same bytes twice for the same input and clock, fallback font included', async () => {
    const p: Packet = structuredClone(packet);
    p.title = 'Same bytes 中文 ✓';
    const a = await buildGateSummaryPdf(input({ packet: p, signoff: { reviewer: 'R' } }));
    const b = await buildGateSummaryPdf(input({ packet: structuredClone(p), signoff: { reviewer: 'R' } }));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = await buildGateSummaryPdf(input({ packet: p, signoff: { reviewer: 'R' }, generatedAt: new Date('2026-11-21T10:00:00Z') }));
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });
});
