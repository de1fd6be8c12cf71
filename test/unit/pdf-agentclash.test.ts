// The PDF gate summary of an `exhibit import agentclash` bundle (issue 17): the packet is
// made by the real importer from the upstream-shaped fixtures (test/fixtures/agentclash,
// README there), signed by a key and keylessly by a test Sigstore instance, verified, and
// read back with poppler's pdftotext (mostly in layout mode: a label and its value on one line).
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { importAgentClash } from '../../shared/model/agentclash-import';
import type { AgentClashInputs } from '../../shared/model/agentclash-import';
import type { Packet } from '../../shared/model/packet-types';
import type { VerificationReport } from '../../shared/evb/report';
import { makeStatement } from '../../shared/evb/dsse';
import { sha256Hex } from '../../shared/evb/writer';
import { buildGateSummaryPdf } from '../../shared/report/gate-summary';
import type { GateSummaryInput } from '../../shared/report/gate-summary';
import { scenarioFiles } from '../fixtures/agentclash/generate';
import type { Scenario } from '../fixtures/agentclash/payloads';
import { BASE_OTHER_RA, CAND_RA } from '../fixtures/agentclash/ids';
import { fixtureBag, signer, testKeys, trustFor, verifyBytes, zipFixture } from '../helpers/bundles';
import { githubIdentityEntry } from '../helpers/keyless-bundles';
import { GITHUB_IDENTITY, makeTestInstance } from '../helpers/sigstore-instance';
import type { TestInstance } from '../helpers/sigstore-instance';

const FIX = join(__dirname, '../fixtures/agentclash');
const FONTS = join(__dirname, '../../assets/fonts');
const font = (f: string) => new Uint8Array(readFileSync(join(FONTS, f)));
const fonts = { regular: font('DejaVuSans.ttf'), bold: font('DejaVuSans-Bold.ttf'), mono: font('DejaVuSansMono.ttf') };
const AT = new Date('2026-11-20T10:00:00Z');
const BUNDLE_ID = 'pr-412-gate';
const enc = new TextEncoder();
const dir = mkdtempSync(join(tmpdir(), 'exhibit-pdf-agentclash-'));
let n = 0;

const PINNED: Scenario = { name: 'pinned', kind: 'comparable', pinned: true };

const yaml = async (p: string) => ({ file: p.split('/').pop()!, doc: parseYaml(await readFile(join(FIX, p), 'utf8')) });

/** The importer's inputs for a generated scenario, as test/unit/import-agentclash.test.ts builds them. */
async function inputs(s: Scenario, meta: boolean | Record<string, unknown> = true): Promise<AgentClashInputs> {
  const files = scenarioFiles(s);
  const json = (name: string) => ({ file: `${s.name}/ci/${name}.json`, doc: JSON.parse(files.get(`${s.name}/ci/${name}.json`)!) });
  return {
    bundleId: BUNDLE_ID,
    ci: { run: json('run'), scorecard: json('scorecard'), comparison: json('comparison'), gate: json('gate'), result: json('result') },
    events: ['events-candidate.jsonl', 'events-baseline.jsonl']
      .filter((f) => files.has(`${s.name}/${f}`))
      .map((f) => ({ file: f, text: files.get(`${s.name}/${f}`)! })),
    pack: await yaml('packs/swe-bug-fix.yaml'),
    ciManifest: await yaml(s.pinned ? 'ci-pinned.yaml' : 'ci.yaml'),
    meta: meta === true ? await yaml('meta.yaml') : meta ? { file: 'meta.yaml', doc: meta } : undefined,
    verbatim: new Map([['swe-bug-fix.yaml', new Uint8Array([1])]]),
    now: '2026-11-20T10:00:00Z',
  };
}

let instance: TestInstance;
beforeAll(async () => {
  instance = await makeTestInstance();
});

/** The imported bundle signed by an Ed25519 key and keylessly by the test instance's GitHub identity, verified. */
async function signedImport(
  s: Scenario,
  meta: boolean | Record<string, unknown> = true,
): Promise<{ packet: Packet; packetJson: Uint8Array; report: VerificationReport }> {
  const imported = importAgentClash(await inputs(s, meta));
  const [key] = await testKeys();
  const bag = await fixtureBag({
    bundleId: BUNDLE_ID,
    payload: imported.payload,
    signers: [signer(key, 'producer', { signer: { name: 'AgentClash CI bot', email: 'ci@example.com' } })],
  });
  const statement = makeStatement({
    bundleId: BUNDLE_ID,
    tagmanifestSha256: await sha256Hex(bag.get('tagmanifest-sha256.txt')!),
    role: 'approver',
    signer: { name: 'Release workflow (claimed)', email: null },
    signedAt: '2026-11-01T12:00:00Z',
  });
  const sig = await instance.sign(enc.encode(JSON.stringify(statement)), GITHUB_IDENTITY);
  bag.set('signatures/approver-ci.sigstore.json', enc.encode(`${JSON.stringify(sig, null, 2)}\n`));
  const trust = {
    ...trustFor([{ key, principal: 'AgentClash CI key', roles: ['producer'] }]),
    identities: [githubIdentityEntry({ principal: 'Release workflow of example-org' })],
    trusted_roots: [instance.trustedRoot],
  };
  const v = await verifyBytes(await zipFixture(bag, BUNDLE_ID), trust);
  const packetJson = await v.readEntry('data/packet.json');
  return { packet: JSON.parse(new TextDecoder().decode(packetJson)) as Packet, packetJson, report: v.report };
}

async function pdfText(
  over: Partial<GateSummaryInput> & Pick<GateSummaryInput, 'packet' | 'report'>,
  page?: number,
  layout = true,
): Promise<string> {
  const file = join(dir, `a${n++}.pdf`);
  const { packet } = over;
  const packetJson = enc.encode(JSON.stringify(packet));
  writeFileSync(file, await buildGateSummaryPdf({ fonts, attachments: { packetJson }, generatedAt: AT, exhibitVersion: 'test', ...over }));
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), ...range, '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** Text with all whitespace removed, so wrapped values still match. */
const squash = (s: string) => s.replace(/\s+/g, '');

describe('an AgentClash import: what the importer carries, in its slice', () => {
  let packet: Packet;
  let all: string;
  beforeAll(async () => {
    const b = await signedImport(PINNED);
    expect(b.report.status).toBe('verified');
    packet = b.packet;
    all = await pdfText(b);
  });

  /** The text from `heading` up to the next slice's heading. */
  const slice = (heading: string, next: string) => all.slice(all.indexOf(heading), all.indexOf(next, all.indexOf(heading)));

  it('Compliance: the CI run and the baseline resolution', () => {
    const a = packet.agentclash!;
    const m = a.ci.ci_metadata!;
    const text = slice('Compliance: traceability chain', '\nEngineering');
    expect(text).toContain('AgentClash CI run (/agentclash/ci)');
    expect(text).toContain(String(m.repository));
    expect(text).toContain(`#${m.pull_request_number}`);
    expect(text).toContain(String(m.branch));
    expect(squash(text)).toContain(String(m.commit_sha));
    expect(squash(text)).toContain(String(m.workflow_run_url));
    expect(text).toContain('github actions');
    expect(text).toContain(`${a.ci.run_status}; exit code ${a.ci.exit_code}`);
    expect(text).toMatch(/Errors\s+none/);
    const r = a.baseline_resolution;
    expect(text).toContain('AgentClash baseline resolution (/agentclash/baseline_resolution)');
    expect(text).toContain('locked run');
    expect(text).toContain(r.source!);
    expect(squash(text)).toContain(squash(r.reason!));
    expect(text).toMatch(/Warnings\s+none/);
    expect(text).toContain(r.refresh_mode!);
    expect(text).toContain('the CI run (run.json, baseline.run_agent_id)');
    expect(text).toContain(BASE_OTHER_RA);
  });

  it('Engineering: the failure divergence and the provider failures', () => {
    const text = slice('\nEngineering', '\nFinance');
    expect(text).toContain('AgentClash failure divergence (/agentclash/comparison/failure_divergence)');
    expect(text).toContain('baseline completed; candidate completed');
    expect(text).toMatch(/Candidate failed, baseline succeeded\s+no/);
    expect(text).toMatch(/Candidate succeeded, baseline failed\s+no/);
    expect(text).toMatch(/Both failed differently\s+no/);
    expect(text).toMatch(/Candidate failure reason\s+not recorded/);
    expect(text).toMatch(/Baseline failure reason\s+not recorded/);
    const [f] = packet.agentclash!.provider_failures;
    expect(text).toContain('Provider failures (/agentclash/provider_failures)');
    for (const v of [f!.run_agent_id, 'other', String(f!.sequence_number), f!.provider_key!, f!.code!, 'yes'])
      expect(squash(text)).toContain(squash(v));
    expect(squash(text)).toContain(squash(f!.message!));
  });

  it('Finance: cost per correct, said to be over validators passed, not tasks', () => {
    const text = slice('\nFinance', 'Cases that drove the verdict');
    const sc = packet.agentclash!.scorecard!;
    expect(text).toContain('AgentClash cost per correct (/agentclash/scorecard/cost_per_correct_usd)');
    expect(text).toMatch(new RegExp(`Cost per correct\\s+\\$${sc.cost_per_correct_usd}\\b`));
    expect(text).toMatch(new RegExp(`Total cost\\s+\\$${sc.total_cost_usd}\\b`));
    expect(text).toMatch(/Correct \(validators passed\)\s+2/);
    expect(text).toContain(CAND_RA);
    expect(text).toContain('cost divided by validators passed, not by tasks');
  });
});

describe('the AgentClash blocks, when upstream recorded less', () => {
  it('a baseline agent taken from a one-agent export is marked derived', async () => {
    const b = await signedImport({ name: 'default-manifest', kind: 'unresolved', pinned: false }, false);
    expect(b.packet.agentclash!.baseline_resolution.run_agent_from).toBe('single_agent_export');
    const text = await pdfText(b);
    expect(squash(text)).toContain(squash("derived by Exhibit: the baseline run's event export holds only this agent (derived)"));
  });

  it('an errored scorecard: cost per correct says why it is missing', async () => {
    const b = await signedImport({ ...PINNED, scorecardState: 'errored' });
    const text = await pdfText(b);
    expect(squash(text)).toContain(
      squash('Not available: The candidate scorecard is errored: scorecard generation failed or scorecard data is unavailable.'),
    );
  });

  it('a packet without the section gets none of the blocks', async () => {
    const b = await signedImport(PINNED);
    const { agentclash: _a, ...packet } = b.packet;
    void _a;
    const text = await pdfText({ ...b, packet: packet as Packet });
    for (const h of [
      'AgentClash CI run',
      'AgentClash baseline resolution',
      'AgentClash failure divergence',
      'Provider failures',
      'cost per correct',
    ])
      expect(text).not.toContain(h);
  });
});

describe('page 1: the signature block, a key-based and a keyless signature', () => {
  let report: VerificationReport;
  let page1: string;
  /** Without -layout: a wrapped cell's lines stay together. */
  let cells: string;
  beforeAll(async () => {
    const b = await signedImport(PINNED);
    report = b.report;
    page1 = await pdfText(b, 1);
    cells = await pdfText(b, 1, false);
  });

  it('per signature: principal, the claim marked as a claim, role, fingerprint, algorithm, claimed time marked as a claim', () => {
    expect(report.signatures.map((s) => [s.principal, s.keySource, s.math, s.trust])).toEqual([
      ['Release workflow of example-org', 'certificate', 'valid', 'trusted'],
      ['AgentClash CI key', 'trust-store', 'valid', 'trusted'],
    ]);
    expect(page1).toContain('Release workflow of example-org');
    expect(page1).toContain('claim: Release workflow (claimed)');
    expect(page1).toContain('AgentClash CI key');
    expect(page1).toContain('claim: AgentClash CI bot');
    expect(page1).toContain('<ci@example.com>');
    // pdftotext joins a fingerprint's first line with the cell beside it ("valid, trusted").
    const fingerprints = squash(cells).replace(/valid,trusted/g, '');
    for (const s of report.signatures) {
      expect(page1).toContain(s.role!);
      expect(fingerprints).toContain(s.keyFingerprint!);
    }
    expect(squash(cells)).toContain(squash('ECDSA P-256, SHA-256'));
    expect(page1).toContain('Ed25519');
    expect(squash(cells)).toContain(squash('2026-11-01T12:00:00Z (signer\u2019s claim)'));
  });

  it('a keyless signature: its certificate identity, log entry and the proven time labelled proven', () => {
    const k = report.signatures[0]!.keyless!;
    expect(k.provenTime).toBeTruthy();
    expect(k.provenTime).toBe('2026-11-01T12:00:00.000Z');
    expect(squash(cells)).toContain(squash('2026-11-01T12:00:00Z (proven by the log)'));
    const line = squash(page1.slice(page1.indexOf('Keyless signature 1'), page1.indexOf('Sign-off')));
    for (const v of [
      'signatures/approver-ci.sigstore.json',
      `identity ${GITHUB_IDENTITY.san} (uri)`,
      `issuer ${GITHUB_IDENTITY.issuer}`,
      `GitHub repository ${GITHUB_IDENTITY.repository}`,
      `workflow ${GITHUB_IDENTITY.workflow}`,
      `ref ${GITHUB_IDENTITY.ref}`,
      `logged in ${k.log!.url} as entry ${k.log!.logIndex}`,
      `signing time proven by the transparency log: ${k.provenTime}`,
    ])
      expect(line).toContain(squash(v));
  });

  it('still fits page 1, the sign-off block included', () => {
    expect(page1).toContain('Sign-off');
  });
});

describe('page 1: a decision that contradicts the gate is flagged', () => {
  it('a ship on the Fail verdict AgentClash gave (threshold_fail_latency)', async () => {
    const meta = { decision: { recommendation: 'ship', deciding_metric: 'latency', rationale: 'Shipping anyway.' } };
    const b = await signedImport({ ...PINNED, candidateScores: { latency: 1.05 } }, meta);
    expect(b.packet.gate).toMatchObject({ verdict: 'fail', triggered_conditions: ['threshold_fail_latency'] });
    expect(b.packet.decision.recommendation).toBe('ship');
    const page1 = await pdfText(b, 1);
    expect(squash(page1)).toContain(squash('\u2717 Contradicts the gate: ship on a FAIL verdict.'));
  });

  it('not a conditional ship on a warn with no automatic-fail condition triggered', async () => {
    const b = await signedImport(PINNED);
    expect(b.packet.gate.verdict).toBe('warn');
    const page1 = await pdfText(b, 1);
    expect(page1).toContain('CONDITIONAL SHIP');
    expect(page1).not.toContain('Contradicts the gate');
  });
});
