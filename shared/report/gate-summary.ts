// The PDF gate summary (issue 5): page 1 is the one-page summary a CISO signs; the pages
// after it carry the checklist, the stakeholder slices, the verdict-driving cases, the
// reviewer notes and the manifest. Built from the same view models as the UI
// (shared/model), with embedded subset fonts passed in as bytes, the clock passed in as a
// value, and no randomness: the same input gives the same bytes.

import { PDFDocument, PDFHexString, PDFName, PDFArray, rgb } from 'pdf-lib';
import type { PDFFont, RGB } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import type { Packet, Recommendation, DimensionOutcome } from '../model/packet-types';
import { EVIDENCE_TIER_LEGEND } from '../model/packet-types';
import type { BundleStatus, VerificationReport } from '../evb/report';
import { STATUS_EXPLANATION } from '../evb/report';
import type { ReplayObservations } from '../model/observations';
import type { DimensionRow, Maybe, StepRef } from '../model/slices-types';
import { buildChecklist } from '../model/checklist';
import { buildComplianceSlice, buildEngineeringSlice, buildFinanceSlice, buildOverview, buildSecuritySlice } from '../model/slices';
import { Sha256Stream } from '../platform/sha256';
import { A4, AMBER, Flow, GREEN, INK, MUTED, RED, RULE } from './layout';
import type { Cell } from './layout';
import { GlyphLedger, TextShaper } from './text';
import type { Style } from './text';

export interface ReviewerNote {
  run_agent_id: string;
  sequence_number: number;
  text: string;
  author?: string | null;
  created_at: string;
}

export interface SignOff {
  reviewer?: string;
  role?: string;
  decision?: string;
  date?: string;
}

export interface GateSummaryInput {
  packet: Packet;
  report: VerificationReport;
  fonts: {
    regular: Uint8Array;
    bold: Uint8Array;
    /** Digests, key ids and file lists; the regular font when absent. */
    mono?: Uint8Array;
    /** Per-character fallback (CJK, Hangul) where the regular font has no glyph. */
    fallback?: Uint8Array;
  };
  signoff?: SignOff;
  notes?: ReviewerNote[];
  attachments: {
    packetJson: Uint8Array;
    /** False when packetJson is a re-serialization, not the bundle's own bytes (said in the PDF). */
    packetJsonExact?: boolean;
    /** Statement bytes per signature; when absent, report.signatures[].statement is attached. */
    statements?: Array<{ file: string; bytes: Uint8Array }>;
  };
  generatedAt: Date;
  exhibitVersion: string;
  /** "run_agent_id:sequence_number" -> the step's one-line headline. */
  stepHeadlines?: Record<string, string>;
  observations?: ReplayObservations | null;
}

export interface GateSummaryResult {
  bytes: Uint8Array;
  pageCount: number;
  /** Characters no embedded font could draw: shown as U+FFFD, counted here. */
  missingGlyphs: number;
  /** The distinct code points behind missingGlyphs, as "U+XXXX". */
  missingCodePoints: string[];
  /** Whether the fallback font had to be embedded. */
  fallbackUsed: boolean;
  /** The names of the embedded files, in order. */
  attachmentNames: string[];
}

export type GateSummaryErrorCode = 'pdf-malformed-bundle' | 'pdf-bad-font' | 'pdf-bad-input';

/** An error value: a stable code and a sentence for a person. */
export class GateSummaryError extends Error {
  constructor(
    readonly code: GateSummaryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GateSummaryError';
  }
}

/** The band every page of a bundle that is not verified carries. */
export const STATUS_BAND: Readonly<Record<Exclude<BundleStatus, 'verified' | 'malformed'>, string>> = {
  tampered: 'TAMPERED \u2014 do not rely on this document: the bundle does not match what was signed or listed.',
  'key-revoked': 'KEY REVOKED \u2014 do not rely on this document: it was signed by a revoked key.',
  'untrusted-signer':
    'UNTRUSTED SIGNER \u2014 no trusted key signed this bundle: check the signer\u2019s fingerprint before relying on it.',
  unsigned: 'UNSIGNED \u2014 nobody signed this bundle: do not rely on it as signed evidence.',
  'key-expired': 'KEY EXPIRED \u2014 signed by a trusted key outside its validity window: ask for a re-signed bundle.',
};

export const STATUS_WORDS: Readonly<Record<BundleStatus, string>> = {
  verified: 'VERIFIED',
  'untrusted-signer': 'UNTRUSTED SIGNER',
  unsigned: 'UNSIGNED',
  'key-expired': 'KEY EXPIRED',
  'key-revoked': 'KEY REVOKED',
  tampered: 'TAMPERED',
  malformed: 'MALFORMED',
};

const RECOMMENDATION_WORDS: Readonly<Record<Recommendation, string>> = {
  ship: 'SHIP',
  block: 'BLOCK',
  conditional_ship: 'CONDITIONAL SHIP',
};

const RECOMMENDATION_COLOR: Readonly<Record<Recommendation, RGB>> = { ship: GREEN, block: RED, conditional_ship: AMBER };
const OUTCOME_COLOR: Readonly<Record<DimensionOutcome, RGB>> = { pass: GREEN, warn: AMBER, fail: RED, unavailable: MUTED };

const enc = new TextEncoder();

/** A file name for the summary of a bundle: "<bundle id>-gate-summary.pdf". */
export function gateSummaryFileName(bundleId: string): string {
  return `${bundleId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 128) || 'bundle'}-gate-summary.pdf`;
}

export async function buildGateSummaryPdf(input: GateSummaryInput): Promise<Uint8Array> {
  return (await buildGateSummary(input)).bytes;
}

const NR = 'not recorded';
const orNR = (v: string | number | null | undefined): string => (v === null || v === undefined || v === '' ? NR : String(v));
const words = (s: string): string => s.replace(/_/g, ' ');
const person = (p: { name: string; email: string | null } | null): string =>
  p === null ? NR : p.email ? `${p.name} <${p.email}>` : p.name;

function num(v: number | null, state?: string): string {
  if (v === null) return state === 'unavailable' ? 'unavailable' : NR;
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  const s = abs !== 0 && (abs < 0.001 || abs >= 1e9) ? v.toExponential(3) : String(Number(v.toPrecision(6)));
  return s;
}

function signed(v: number | null, state?: string): string {
  const s = num(v, state);
  return v !== null && v > 0 ? `+${s}` : s;
}

function usd(m: Maybe<number>): string {
  return m.value === null ? `not available (${m.missing})` : `$${m.value.toFixed(2)}`;
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

async function embed(doc: PDFDocument, bytes: Uint8Array, name: string): Promise<PDFFont> {
  try {
    // No ligatures: every character stays its own glyph, so widths add up and text extracts as written.
    return await doc.embedFont(bytes, { subset: true, customName: name, features: { liga: false, clig: false, dlig: false, calt: false } });
  } catch (e) {
    throw new GateSummaryError('pdf-bad-font', `The font ${name} could not be embedded: ${(e as Error).message}`);
  }
}

/** Whether any text the document may show has a character the regular font lacks. */
function needsFallback(regular: PDFFont, texts: unknown[]): boolean {
  const have = new Set(regular.getCharacterSet());
  for (const t of texts) {
    const s = typeof t === 'string' ? t : (JSON.stringify(t) ?? '');
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      if (cp >= 0x20 && !have.has(cp)) return true;
    }
  }
  return false;
}

export async function buildGateSummary(input: GateSummaryInput): Promise<GateSummaryResult> {
  const { packet, report } = input;
  if (report.status === 'malformed') {
    throw new GateSummaryError('pdf-malformed-bundle', `The bundle is malformed, so it has no gate summary: ${report.summary}`);
  }
  if (!packet || typeof packet !== 'object') throw new GateSummaryError('pdf-bad-input', 'There is no approval packet to summarize.');
  if (!(input.generatedAt instanceof Date) || Number.isNaN(input.generatedAt.getTime())) {
    throw new GateSummaryError('pdf-bad-input', 'The generation time is not a valid date.');
  }

  // Page 1 must hold the whole summary with its sign-off block. When it does not (a long
  // band, many signers, long names), render again denser; the densest pass is kept as it is.
  for (let density = 0; ; density++) {
    const result = await render(input, density, density >= MAX_DENSITY);
    if (result) return result;
  }
}

const MAX_DENSITY = 2;

async function render(input: GateSummaryInput, density: number, last: boolean): Promise<GateSummaryResult | null> {
  const { packet, report } = input;
  const scale = [1, 0.93, 0.86][density] ?? 0.86;
  const z = (size: number) => Math.round(size * scale * 100) / 100;
  const ml = (lines: number) => (density === 0 ? lines : Math.max(1, lines - density));
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const regular = await embed(doc, input.fonts.regular, 'EXHBRG+Regular');
  const bold = await embed(doc, input.fonts.bold, 'EXHBBD+Bold');
  const mono = input.fonts.mono ? await embed(doc, input.fonts.mono, 'EXHBMO+Mono') : regular;
  const fallback =
    input.fonts.fallback &&
    needsFallback(regular, [
      packet,
      report.signatures,
      report.files.map((f) => f.path),
      report.trustStore,
      report.fileName,
      input.notes,
      input.signoff,
      input.stepHeadlines,
    ])
      ? await embed(doc, input.fonts.fallback, 'EXHBFB+Fallback')
      : null;
  const ledger = new GlyphLedger();
  const shaper = new TextShaper({ regular, bold, mono, fallback }, ledger);

  const status = report.status;
  if (status === 'malformed')
    throw new GateSummaryError('pdf-malformed-bundle', `The bundle is malformed, so it has no gate summary: ${report.summary}`);
  const band = status === 'verified' ? null : STATUS_BAND[status];
  const bandHeight = band ? shaper.wrap(band, 'bold', 9, A4[0] - 2 * 40 - 16, 3).length * 11.5 + 8 : 0;
  const flow = new Flow(doc, shaper, { top: 48 + bandHeight + (band ? 6 : 0), bottom: 42, side: 40 });

  const overview = buildOverview(packet, input.observations ?? null);
  const headline = (r: StepRef): string | null => input.stepHeadlines?.[`${r.run_agent_id}:${r.sequence_number}`] ?? r.headline ?? null;
  /** The step's headline and the packet's note on it; says so when neither is known. */
  const stepLine = (r: StepRef): string => {
    const h = headline(r);
    const parts = [h, r.note].filter((x): x is string => x !== null && x !== '');
    return `${r.run_agent_id} #${r.sequence_number}: ${parts.length ? parts.join(' \u2014 ') : 'the step is not summarized (replay not read)'}`;
  };

  // ------------------------------------------------------------ page 1
  flow.text(overview.title, { style: 'bold', size: z(14), maxLines: ml(2), after: 2 });
  flow.text(
    `Release gate summary \u00b7 packet created ${overview.createdAt} by ${overview.producer.name}${overview.producer.version ? ` ${overview.producer.version}` : ''}`,
    { size: z(8), color: MUTED, maxLines: ml(2), after: 6 },
  );

  // The decision, large.
  const rec = overview.decision.recommendation;
  {
    const top = flow.y;
    flow.text(RECOMMENDATION_WORDS[rec], { style: 'bold', size: z(24), color: RECOMMENDATION_COLOR[rec], maxLines: ml(1), after: 2 });
    const d = overview.decision.decidingDimension;
    const c = overview.decision.decidingCondition;
    let forced: string;
    if (d) forced = `${d.key}: ${dimensionSentence(d)}`;
    else if (c) forced = `${c.key} (automatic fail condition, ${c.triggered ? 'triggered' : 'not triggered'}): ${c.description}`;
    else forced = `${overview.decision.decidingMetric} (names neither a dimension nor a fail condition of the gate)`;
    flow.pairs([['Forced by', forced, 'bold']], { labelWidth: 80, size: z(8), maxLines: ml(3) });
    if (overview.decision.conditions.length) {
      flow.pairs(
        overview.decision.conditions.map((t, i) => [i === 0 ? 'Conditions' : '', `${i + 1}. ${t}`] as [string, string]),
        { labelWidth: 80, size: z(8), maxLines: 2 },
      );
    } else if (rec === 'conditional_ship') {
      flow.pairs([['Conditions', 'none recorded, although the decision is a conditional ship', 'bold', RED]], { labelWidth: 80 });
    }
    if (overview.decision.rationale)
      flow.pairs([['Rationale', overview.decision.rationale]], { labelWidth: 80, size: z(7.5), maxLines: ml(2) });
    if (flow.page === flow.pages[0])
      flow.page.drawRectangle({ x: flow.left - 6, y: flow.y - 2, width: 3, height: top - flow.y, color: RECOMMENDATION_COLOR[rec] });
    flow.space(4);
  }

  flow.pairs(
    [
      [
        'Gate verdict',
        `${words(overview.gate.verdict).toUpperCase()} \u00b7 reason code ${overview.gate.reasonCode}${overview.gate.summary ? ` \u2014 ${overview.gate.summary}` : ''}`,
        'bold',
      ],
      [
        'Gate policy',
        `${overview.gate.policyKey ?? 'policy key not recorded'}${overview.gate.policyVersion ? ` v${overview.gate.policyVersion}` : ''} \u00b7 policy SHA-256 ${orNR(overview.gate.policySha256)}`,
      ],
      [
        'Challenge pack',
        `${overview.workload.pack.slug} v${overview.workload.pack.versionNumber} (${overview.workload.pack.name}, version id ${overview.workload.pack.versionId}) \u00b7 manifest SHA-256 ${orNR(overview.workload.pack.manifestSha256)}`,
      ],
      [
        'Input set',
        `${overview.workload.inputSet.key} (${overview.workload.inputSet.id}${overview.workload.inputSet.name ? `, ${overview.workload.inputSet.name}` : ''}) \u00b7 digest ${orNR(overview.workload.inputSet.inputSha256)} \u00b7 ${overview.workload.inputSet.caseCount ?? 'unknown number of'} cases, ${overview.workload.inputSet.casesInPacket} in the packet`,
      ],
      [
        'Owners',
        `release ${person(overview.owners.releaseOwner)} \u00b7 rollback ${person(overview.owners.rollbackOwner)}${overview.owners.approvers.length ? ` \u00b7 approvers ${overview.owners.approvers.map((a) => `${person(a)} (${a.role})`).join('; ')}` : ''}`,
        undefined,
        overview.owners.releaseOwner && overview.owners.rollbackOwner ? INK : RED,
      ] as [string, string, Style | undefined, RGB],
    ],
    // Digests must stay whole: these rows keep their two lines at every density.
    { labelWidth: 80, size: z(7.5), maxLines: 2 },
  );
  flow.space(3);

  flow.table(
    [
      { title: '', share: 1.05 },
      { title: 'Label', share: 1.9 },
      { title: 'Build / version', share: 2.4 },
      { title: 'Deployment', share: 2.6 },
      { title: 'Run / run agent', share: 2.2 },
    ],
    [overview.candidate, overview.baseline].map((p) => [
      { text: p.role === 'candidate' ? 'Candidate' : 'Baseline', style: 'bold' as Style },
      { text: p.label },
      { text: `${orNR(p.agentBuildId)} / ${orNR(p.buildVersionId)}` },
      { text: `${orNR(p.deploymentId)}${p.deploymentName ? ` (${p.deploymentName})` : ''}` },
      { text: `${p.runId} / ${p.runAgentId}` },
    ]),
    { size: z(7), maxLines: 2 },
  );
  {
    const sel = overview.baseline.selection;
    const age = sel.ageDays === null ? 'age not recorded' : `${sel.ageDays} days old`;
    const max = sel.maxAgeDays === null ? 'no max age' : `max ${sel.maxAgeDays} days`;
    flow.text(`Baseline selection: ${words(sel.strategy)}, ${age}, ${max}${sel.stale ? ' \u2014 STALE' : ''}.`, {
      size: z(7.5),
      color: sel.stale ? RED : MUTED,
      maxLines: ml(1),
      after: 2,
    });
  }

  flow.heading('Scorecard by dimension', 9);
  flow.table(
    [
      { title: 'Dimension', share: 2.2 },
      { title: 'Better', share: 0.9 },
      { title: 'Baseline', share: 1.2, align: 'right' },
      { title: 'Candidate', share: 1.2, align: 'right' },
      { title: 'Worsening', share: 1.1, align: 'right' },
      { title: 'Warn at', share: 1, align: 'right' },
      { title: 'Fail at', share: 1, align: 'right' },
      { title: 'Outcome', share: 1.3 },
    ],
    overview.dimensions.map((d) => [
      {
        text: `${d.key}${d.derived ? ' (derived)' : ''}${d.key === overview.decision.decidingMetric ? ' \u25c0 deciding' : ''}`,
        style: d.key === overview.decision.decidingMetric ? 'bold' : 'regular',
      },
      { text: d.betterDirection },
      { text: num(d.baselineValue, stateOf(d, 'baseline')), color: d.baselineValue === null ? MUTED : INK },
      { text: num(d.candidateValue, stateOf(d, 'candidate')), color: d.candidateValue === null ? MUTED : INK },
      {
        text: signed(d.worseningDelta, d.state === 'available' ? undefined : 'unavailable'),
        color: d.worseningDelta === null ? MUTED : INK,
      },
      { text: num(d.warnThreshold) },
      { text: num(d.failThreshold) },
      {
        text:
          d.outcome === 'unavailable' ? `unavailable${d.state !== 'unavailable' ? ` (${words(d.state)})` : ''}` : d.outcome.toUpperCase(),
        color: OUTCOME_COLOR[d.outcome],
        style: 'bold',
      },
    ]),
    { size: z(7.5), maxLines: ml(2) },
  );
  const triggered = overview.autoFailConditions.filter((c) => c.triggered);
  flow.text(
    overview.autoFailConditions.length === 0
      ? 'Automatic fail conditions: none listed by the gate.'
      : `Automatic fail conditions: ${overview.autoFailConditions.length} listed, ${triggered.length ? `triggered: ${triggered.map((c) => c.key).join(', ')}` : 'none triggered'}.`,
    { size: z(7.5), color: triggered.length ? RED : MUTED, maxLines: ml(2), after: 2 },
  );

  flow.heading('Evidence tier of every agent', 9);
  flow.table(
    [
      { title: 'Agent', share: 2.6 },
      { title: 'Role', share: 1 },
      { title: 'Run agent', share: 1.4 },
      { title: 'Evidence tier', share: 2.8 },
      { title: 'Tier checked against the replay', share: 2.4 },
    ],
    overview.agents.map((a) => [
      { text: a.label },
      { text: a.role },
      { text: a.runAgentId },
      {
        text: `${tierName(a.evidenceTier)}${a.tierDerived ? ' (derived)' : ''}`,
        style: 'bold',
        color: a.evidenceTier === 'none' || a.evidenceTier === 'derived_summary' ? AMBER : INK,
      },
      {
        text: a.tierSupport.status === 'not-checked' ? 'not checked' : `${a.tierSupport.status}: ${a.tierSupport.detail}`,
        color: a.tierSupport.status === 'contradicted' ? RED : MUTED,
      },
    ]),
    { size: z(7.5), maxLines: 2 },
  );
  flow.text(
    `Tiers, strongest first: ${(['native_structured', 'hosted_structured', 'hosted_black_box', 'derived_summary', 'none'] as const).map((t) => `${tierName(t)} \u2014 ${tierShort(t)}`).join('; ')}.`,
    { size: z(6.5), color: MUTED, maxLines: 3, after: 2 },
  );

  flow.heading('Verification', 9);
  flow.pairs(
    [
      [
        'Status',
        `${STATUS_WORDS[status]} \u2014 ${STATUS_EXPLANATION[status]}`,
        'bold',
        status === 'verified' ? GREEN : status === 'tampered' || status === 'key-revoked' ? RED : AMBER,
      ],
      ['Bundle id', orNR(report.bundleId ?? packet.bundle_id), 'mono'],
      ['.evb SHA-256', orNR(report.fileSha256), 'mono'],
      ['Tagmanifest SHA-256', orNR(report.tagmanifestSha256), 'mono'],
      ['Verified at', `${report.verifiedAt} against ${report.trustStore}`],
    ],
    { labelWidth: 100, size: z(7.5), maxLines: ml(2) },
  );
  if (report.signatures.length === 0) flow.text('No signatures.', { size: z(7.5), color: AMBER, after: 2 });
  else
    flow.table(
      [
        { title: 'Signer (principal in the trust store)', share: 3.6 },
        { title: 'Role', share: 0.8 },
        { title: 'Key fingerprint (SHA-256 of SPKI)', share: 3.3, style: 'mono' },
        { title: 'Signature, trust', share: 1.5 },
        { title: 'Claimed time', share: 2 },
      ],
      report.signatures.map((s) => [
        {
          text: `${s.signer ? s.signer.name : 'signer not stated'}${s.principal ? ` (${s.principal})` : ' (key not in the trust store)'}${s.signer?.email ? `\n${s.signer.email}` : ''}`,
        },
        { text: orNR(s.role) },
        { text: s.keyFingerprint ?? `no key at hand; keyid ${s.keyid}` },
        {
          text: `${s.math}, ${words(s.trust.replace(/-/g, ' '))}${s.trustDetail && s.trust !== 'trusted' ? `: ${s.trustDetail}` : ''}`,
          color: s.math === 'valid' && s.trust === 'trusted' ? GREEN : s.math === 'invalid' || s.trust === 'revoked-key' ? RED : AMBER,
          style: 'bold',
        },
        { text: s.claimedTime ? `${s.claimedTime} (signer\u2019s claim)` : NR },
      ]),
      { size: z(7), maxLines: 3 }, // full fingerprints at every density
    );

  signOffBlock(flow, input.signoff, z);
  if (flow.pages.length > 1 && !last) return null;

  // ------------------------------------------------------------ following pages
  flow.newPage();
  flow.heading('Approval checklist');
  const checklist = buildChecklist(packet);
  flow.table(
    [
      { title: 'State', share: 0.9 },
      { title: 'Item', share: 2.2 },
      { title: 'What was found', share: 3.7 },
      { title: 'Packet fields', share: 3.3, style: 'mono' },
    ],
    checklist.map((c) => [
      { text: c.state === 'met' ? '\u2713 met' : '\u2717 missing', color: c.state === 'met' ? GREEN : RED, style: 'bold' },
      { text: c.title },
      { text: c.detail },
      { text: c.fields.join('\n') },
    ]),
    { size: 7.5, maxLines: 40 },
  );

  flow.heading('Security');
  const security = buildSecuritySlice(packet, input.observations ?? null);
  for (const a of security.agents) {
    flow.text(`${a.label} (${a.role}, ${a.runAgentId}) \u2014 ${tierName(a.evidenceTier)}`, { style: 'bold', size: 8.5, maxLines: 2 });
    const tp = a.toolPolicy;
    flow.pairs(
      [
        [
          'Tool policy',
          tp
            ? `tools ${tp.allowed_tool_kinds.join(', ') || 'none'}; shell ${tp.allow_shell ? 'allowed' : 'denied'}; network ${tp.allow_network ? 'allowed' : 'denied'}; max tool calls ${orNR(tp.max_tool_calls)}`
            : NR,
        ],
        [
          'Network bounds',
          a.network.bounds
            ? `${a.network.bounds.access}${a.network.bounds.allowlist.length ? `: ${a.network.bounds.allowlist.join(', ')}` : ''}`
            : NR,
        ],
        ['Outside bounds', maybeList(a.network.outsideBounds), undefined, a.network.outsideBounds.value?.length ? RED : INK],
        [
          'Secrets',
          a.secrets
            ? `${a.secrets.handling}; canaries planted ${orNR(a.secrets.planted_canaries)}; leaks detected ${orNR(a.secrets.leaks_detected)}`
            : NR,
          undefined,
          a.secrets?.leaks_detected ? RED : INK,
        ],
        ['Models (AI BOM)', a.aiBom ? a.aiBom.models.join(', ') || 'none listed' : NR],
        ['Models outside BOM', maybeList(a.modelsOutsideBom), undefined, a.modelsOutsideBom.value?.length ? RED : INK],
        ['Unused grants', maybeList(a.permissions.unusedGrants)],
        ['Unexpected uses', maybeList(a.permissions.unexpectedUses), undefined, a.permissions.unexpectedUses.value?.length ? RED : INK],
        [
          'Blocked by policy',
          a.policyBlocked.value === null
            ? `not available (${a.policyBlocked.missing})`
            : a.policyBlocked.value.length
              ? a.policyBlocked.value.map(stepLine).join('; ')
              : 'none',
        ],
      ],
      { labelWidth: 100, size: 7.5, maxLines: 3, indent: 8 },
    );
    flow.space(3);
  }

  flow.heading('Compliance: traceability chain');
  const compliance = buildComplianceSlice(packet, report);
  flow.table(
    [
      { title: 'Link', share: 1.8 },
      { title: 'State', share: 0.9 },
      { title: 'Entries', share: 6 },
    ],
    compliance.chain.map((l) => [
      { text: l.title, style: 'bold' },
      { text: l.state, color: l.state === 'present' ? GREEN : l.state === 'partial' ? AMBER : RED },
      { text: l.entries.map((e) => `${e.label}: ${e.value ?? `missing \u2014 ${e.missing}`}`).join('\n') },
    ]),
    { size: 7.5, maxLines: 8 },
  );
  flow.pairs(
    [
      [
        'Retention',
        `${orNR(compliance.retention.policy)}; replays ${compliance.retention.replayRetentionDays === null ? 'retention days not recorded' : `${compliance.retention.replayRetentionDays} days`}; retain until ${orNR(compliance.retention.retainUntil)}`,
      ],
      ['Agents without replay', compliance.retention.agentsWithoutReplay.join(', ') || 'none'],
    ],
    { labelWidth: 110, size: 7.5, maxLines: 3 },
  );

  flow.heading('Engineering');
  const engineering = buildEngineeringSlice(packet, input.observations ?? null);
  flow.pairs(
    [
      [
        'Cases',
        `${packet.cases.length} in the packet; ${engineering.drivingCases.length} drove the verdict; ${engineering.divergences.length} differ between baseline and candidate`,
      ],
      ['Fallbacks', maybeCount(engineering.fallbacks)],
      ['Sandbox failures', maybeCount(engineering.sandboxFailures)],
      ['Tool failures', maybeCount(engineering.toolFailures)],
      ['Policy violations', maybeCount(engineering.policyViolations)],
    ],
    { labelWidth: 110, size: 7.5, maxLines: 2 },
  );
  if (engineering.challenges.length)
    flow.table(
      [
        { title: 'Challenge', share: 3 },
        { title: 'Cases', share: 1, align: 'right' },
        { title: 'Baseline passed', share: 1.4, align: 'right' },
        { title: 'Candidate passed', share: 1.4, align: 'right' },
      ],
      engineering.challenges.map((c) => [
        { text: c.challengeKey },
        { text: String(c.cases) },
        { text: orNR(c.baselinePassed) },
        { text: orNR(c.candidatePassed) },
      ]),
      { size: 7.5, maxLines: 2 },
    );

  flow.heading('Finance');
  const finance = buildFinanceSlice(packet, input.observations ?? null);
  flow.table(
    [
      { title: '', share: 2.4 },
      { title: 'Baseline', share: 2.2 },
      { title: 'Candidate', share: 2.2 },
      { title: 'Candidate \u2212 baseline', share: 2.2 },
    ],
    [
      [
        { text: 'Total cost', style: 'bold' },
        { text: usd(finance.baseline.totalCostUsd) },
        { text: usd(finance.candidate.totalCostUsd) },
        { text: usd(finance.totalDeltaUsd) },
      ],
      [
        { text: 'Cost per successful task', style: 'bold' },
        { text: usd(finance.baseline.costPerSuccessfulTaskUsd) },
        { text: usd(finance.candidate.costPerSuccessfulTaskUsd) },
        { text: usd(finance.costPerSuccessfulTaskDeltaUsd) },
      ],
      [
        { text: 'Successful tasks', style: 'bold' },
        {
          text:
            finance.baseline.successfulTasks.value === null
              ? `not available (${finance.baseline.successfulTasks.missing})`
              : String(finance.baseline.successfulTasks.value),
        },
        {
          text:
            finance.candidate.successfulTasks.value === null
              ? `not available (${finance.candidate.successfulTasks.missing})`
              : String(finance.candidate.successfulTasks.value),
        },
        { text: '' },
      ],
    ],
    { size: 7.5, maxLines: 3 },
  );
  if (finance.unpricedModels.length)
    flow.text(`Models without a price: ${finance.unpricedModels.join(', ')}.`, { size: 7.5, color: AMBER });

  flow.heading('Cases that drove the verdict');
  if (engineering.drivingCases.length === 0) flow.text('No case is marked as driving the verdict.', { size: 8, color: MUTED });
  else
    flow.table(
      [
        { title: 'Case', share: 1.3, style: 'mono' },
        { title: 'Title', share: 2.4 },
        { title: 'Baseline', share: 1.1 },
        { title: 'Candidate', share: 1.1 },
        { title: 'Replay ref (run agent #seq) and the step', share: 4.6 },
      ],
      engineering.drivingCases.map((c) => [
        { text: c.caseKey },
        { text: c.title ?? '(untitled)' },
        { text: outcome(c.baseline) },
        { text: outcome(c.candidate), color: c.change === 'regressed' ? RED : INK },
        { text: c.refs.length ? c.refs.map(stepLine).join('\n') : 'no replay ref recorded' },
      ]),
      { size: 7.5, maxLines: 8 },
    );

  flow.heading('Reviewer notes');
  const notes = [...(input.notes ?? [])].sort((a, b) =>
    a.created_at < b.created_at
      ? -1
      : a.created_at > b.created_at
        ? 1
        : a.run_agent_id < b.run_agent_id
          ? -1
          : a.run_agent_id > b.run_agent_id
            ? 1
            : a.sequence_number - b.sequence_number,
  );
  if (notes.length === 0) flow.text('No reviewer notes.', { size: 8, color: MUTED });
  else
    flow.table(
      [
        { title: 'Step', share: 2 },
        { title: 'Author, time', share: 2 },
        { title: 'Note', share: 6 },
      ],
      notes.map((n) => [
        { text: `${n.run_agent_id} #${n.sequence_number}` },
        { text: `${n.author ?? 'unnamed'}, ${n.created_at}` },
        { text: n.text },
      ]),
      { size: 7.5, maxLines: 20 },
    );

  const problems = report.findings;
  if (problems.length) {
    flow.heading('Findings of the verification');
    flow.table(
      [
        { title: 'Severity', share: 1.2 },
        { title: 'Code', share: 2 },
        { title: 'Finding', share: 6 },
      ],
      problems.map((f) => [
        { text: f.severity, color: f.severity === 'warning' ? AMBER : RED, style: 'bold' },
        { text: f.code, style: 'mono' },
        { text: `${f.message}${f.entry ? ` (${f.entry})` : ''}` },
      ]),
      { size: 7.5, maxLines: 6 },
    );
  }

  flow.heading('Files reviewed (the manifest)');
  flow.text(
    `${report.files.length} files; ${report.files.filter((f) => f.result !== 'ok').length} not as listed. Payload-Oxum ${orNR(report.payloadOxum)}. SHA-256 as computed from the bytes read.`,
    { size: 7.5, color: MUTED, after: 2 },
  );
  flow.table(
    [
      { title: 'Path', share: 3.7 },
      { title: 'Bytes', share: 0.9, align: 'right' },
      { title: 'SHA-256', share: 5.9, style: 'mono' },
      { title: 'Result', share: 0.9 },
    ],
    report.files.map((f) => [
      { text: f.path, style: 'mono' },
      { text: f.size === null ? '' : String(f.size) },
      { text: f.actualSha256 ?? `expected ${orNR(f.expectedSha256)}` },
      { text: f.result, color: f.result === 'ok' ? GREEN : RED, style: 'bold' },
    ]),
    { size: 6.5, maxLines: 12 }, // paths whole (a hostile one is cut; the attached report has it all)
  );

  // ------------------------------------------------------------ attachments
  const attachmentNames: string[] = [];
  const when = input.generatedAt;
  const attach = async (bytes: Uint8Array, name: string, mimeType: string, description: string) => {
    await doc.attach(bytes, name, { mimeType, description, creationDate: when, modificationDate: when });
    attachmentNames.push(name);
  };
  await attach(
    input.attachments.packetJson,
    'packet.json',
    'application/json',
    input.attachments.packetJsonExact === false
      ? 'data/packet.json as parsed and re-serialized by Exhibit: NOT the bundle\u2019s own bytes'
      : 'data/packet.json of the bundle, byte for byte',
  );
  const statementBytes = new Map((input.attachments.statements ?? []).map((s) => [s.file, s.bytes]));
  for (const [i, s] of report.signatures.entries()) {
    const bytes = statementBytes.get(s.file) ?? (s.statement !== null ? enc.encode(s.statement) : null);
    if (bytes) await attach(bytes, `statement-${i + 1}.json`, 'application/json', `The verified in-toto statement of ${s.file}`);
  }
  // Without elapsedMs: how long verification took is not evidence, and would make the same
  // bundle, trust store and clock give different bytes.
  const { elapsedMs: _elapsed, ...reportRecord } = report;
  await attach(
    enc.encode(`${JSON.stringify(reportRecord, null, 2)}\n`),
    'verification-report.json',
    'application/json',
    'The verification report this summary was made from (without its elapsedMs timing)',
  );
  flow.ensure(30);
  flow.text(`Attached to this PDF: ${attachmentNames.join(', ')}.`, { size: 7.5, color: MUTED, after: 2 });

  // ------------------------------------------------------------ header, footer, band
  const total = flow.pages.length;
  const shaFooter = report.fileSha256 ? `.evb SHA-256 ${report.fileSha256.slice(0, 16)}\u2026` : '.evb SHA-256 not computed';
  flow.pages.forEach((page, i) => {
    flow.page = page;
    const [w, h] = A4;
    const left = 40;
    const right = w - 40;
    const headerText = `Exhibit gate summary \u00b7 ${report.bundleId ?? packet.bundle_id}`;
    const statusText = STATUS_WORDS[status];
    const statusW = shaper.width(statusText, 'bold', 8);
    flow.drawLine(shaper.ellipsize(headerText, 'regular', 8, right - left - statusW - 20), left, h - 32, 'regular', 8, MUTED);
    flow.drawLine(statusText, right - statusW, h - 32, 'bold', 8, status === 'verified' ? GREEN : RED);
    page.drawLine({ start: { x: left, y: h - 38 }, end: { x: right, y: h - 38 }, thickness: 0.5, color: RULE });
    if (band) {
      const lines = shaper.wrap(band, 'bold', 9, right - left - 16, 3);
      const color = status === 'tampered' || status === 'key-revoked' ? RED : AMBER;
      page.drawRectangle({ x: left, y: h - 44 - bandHeight, width: right - left, height: bandHeight, color });
      lines.forEach((l, j) => flow.drawLine(l, left + 8, h - 44 - 4 - 11.5 * (j + 1) + 2.5, 'bold', 9, rgb(1, 1, 1)));
    }
    page.drawLine({ start: { x: left, y: 34 }, end: { x: right, y: 34 }, thickness: 0.5, color: RULE });
    const pageText = `Page ${i + 1} of ${total}`;
    flow.drawLine(shaFooter, left, 22, 'mono', 7, MUTED);
    flow.drawLine(pageText, right - shaper.width(pageText, 'regular', 7.5), 22, 'regular', 7.5, MUTED);
    const made = `Made by Exhibit ${input.exhibitVersion} at ${iso(input.generatedAt)}`;
    flow.drawLine(made, (left + right) / 2 - shaper.width(made, 'regular', 7) / 2, 22, 'regular', 7, MUTED);
  });

  // ------------------------------------------------------------ metadata
  const bundleId = report.bundleId ?? packet.bundle_id;
  const title = `Gate summary: ${packet.title}`;
  const subject = `Bundle ${bundleId}, status ${status}`;
  const tiers = [...new Set(packet.agents.map((a) => a.evidence_tier))];
  const keywords = [`verdict:${packet.gate.verdict}`, `decision:${rec}`, `status:${status}`, ...tiers.map((t) => `tier:${t}`)];
  const creator = `Exhibit ${input.exhibitVersion}`;
  const producer = 'Exhibit shared/report (pdf-lib)';
  doc.setTitle(title, { showInWindowTitleBar: true });
  doc.setSubject(subject);
  if (input.signoff?.reviewer) doc.setAuthor(input.signoff.reviewer);
  doc.setCreator(creator);
  doc.setProducer(producer);
  doc.setKeywords(keywords);
  doc.setCreationDate(when);
  doc.setModificationDate(when);
  doc.setLanguage('en');
  const xmp = xmpPacket({
    title,
    subject,
    author: input.signoff?.reviewer ?? null,
    creator,
    producer,
    keywords: keywords.join(', '),
    date: iso(when),
  });
  const metadata = doc.context.stream(enc.encode(xmp), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(metadata));

  // A fixed file identifier: a digest of what the document was made from.
  const idHash = new Sha256Stream()
    .update(
      enc.encode(
        JSON.stringify([
          report.fileSha256,
          report.tagmanifestSha256,
          report.status,
          report.verifiedAt,
          iso(when),
          input.exhibitVersion,
          input.signoff ?? null,
          input.notes ?? null,
        ]),
      ),
    )
    .update(input.attachments.packetJson)
    .digest();
  const id = PDFHexString.of(hex(idHash.subarray(0, 16)));
  doc.context.trailerInfo.ID = PDFArray.withContext(doc.context);
  (doc.context.trailerInfo.ID as PDFArray).push(id);
  (doc.context.trailerInfo.ID as PDFArray).push(id);

  const bytes = await doc.save({ useObjectStreams: false });
  return {
    bytes,
    pageCount: total,
    missingGlyphs: ledger.missing,
    missingCodePoints: [...ledger.missingCodePoints]
      .sort((a, b) => a - b)
      .map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`),
    fallbackUsed: fallback !== null,
    attachmentNames,
  };
}

function stateOf(d: DimensionRow, side: 'baseline' | 'candidate'): string | undefined {
  if (d.state === 'unavailable' || d.state === 'error') return 'unavailable';
  if (d.state === `missing_${side}`) return 'unavailable';
  return undefined;
}

function dimensionSentence(d: DimensionRow): string {
  if (d.outcome === 'unavailable' || d.state !== 'available')
    return `unavailable (${words(d.state)}): the gate could not compare baseline and candidate`;
  return `candidate ${num(d.candidateValue)} vs baseline ${num(d.baselineValue)} (${d.betterDirection} is better), worsening ${signed(d.worseningDelta)} against warn ${num(d.warnThreshold)} / fail ${num(d.failThreshold)}: ${d.outcome.toUpperCase()}`;
}

function tierName(t: keyof typeof EVIDENCE_TIER_LEGEND): string {
  return EVIDENCE_TIER_LEGEND[t].split(':')[0]!;
}

function tierShort(t: keyof typeof EVIDENCE_TIER_LEGEND): string {
  return EVIDENCE_TIER_LEGEND[t]
    .slice(EVIDENCE_TIER_LEGEND[t].indexOf(':') + 1)
    .trim()
    .replace(/\.$/, '');
}

function maybeList(m: Maybe<string[]>): string {
  return m.value === null ? `not available (${m.missing})` : m.value.length ? m.value.join(', ') : 'none';
}

function maybeCount(m: Maybe<StepRef[]>): string {
  return m.value === null
    ? `not available (${m.missing})`
    : `${m.value.length}${
        m.value.length
          ? `: ${m.value
              .slice(0, 5)
              .map((r) => `${r.run_agent_id} #${r.sequence_number}`)
              .join(', ')}${m.value.length > 5 ? ', \u2026' : ''}`
          : ''
      }`;
}

function outcome(o: { verdict: string; score: number | null } | null): string {
  if (o === null) return NR;
  return `${o.verdict}${o.score !== null ? ` (${num(o.score)})` : ''}`;
}

function signOffBlock(flow: Flow, s: SignOff | undefined, z: (n: number) => number): void {
  const size = z(8);
  flow.ensure(64);
  flow.heading('Sign-off', 9);
  // Two rows: reviewer, role, date; then decision and the signature line. Empty lines when
  // no value was given, to be filled in by hand.
  const rows: Array<Array<[string, string | undefined, number]>> = [
    [
      ['Reviewer', s?.reviewer, 0.4],
      ['Role', s?.role, 0.33],
      ['Date', s?.date, 0.27],
    ],
    [
      ['Decision', s?.decision, 0.5],
      ['Signature', undefined, 0.5],
    ],
  ];
  for (const row of rows) {
    flow.y -= z(17);
    let x = flow.left;
    for (const [label, value, share] of row) {
      const w = flow.width * share;
      const labelW = flow.shaper.width(label, 'bold', size) + 6;
      flow.drawLine(label, x, flow.y, 'bold', size, MUTED);
      const lineX = x + labelW;
      const lineEnd = x + w - 12;
      flow.page.drawLine({ start: { x: lineX, y: flow.y - 2 }, end: { x: lineEnd, y: flow.y - 2 }, thickness: 0.5, color: INK });
      if (value)
        flow.drawLine(
          flow.shaper.ellipsize(value, 'regular', size + 0.5, lineEnd - lineX - 4),
          lineX + 2,
          flow.y + 1,
          'regular',
          size + 0.5,
          INK,
        );
      x += w;
    }
  }
  flow.y -= 6;
}

function xmpPacket(m: {
  title: string;
  subject: string;
  author: string | null;
  creator: string;
  producer: string;
  keywords: string;
  date: string;
}): string {
  const e = xmlEscape;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${e(m.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${e(m.subject)}</rdf:li></rdf:Alt></dc:description>
${m.author ? `   <dc:creator><rdf:Seq><rdf:li>${e(m.author)}</rdf:li></rdf:Seq></dc:creator>\n` : ''}   <xmp:CreatorTool>${e(m.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>${m.date}</xmp:CreateDate>
   <xmp:ModifyDate>${m.date}</xmp:ModifyDate>
   <xmp:MetadataDate>${m.date}</xmp:MetadataDate>
   <pdf:Producer>${e(m.producer)}</pdf:Producer>
   <pdf:Keywords>${e(m.keywords)}</pdf:Keywords>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}
