// The PDF gate summary: page 1 is the one-page summary a CISO signs; the pages after it
// carry the checklist, the stakeholder slices, the verdict-driving cases, the reviewer
// notes and the manifest. Built from the same view models as the UI (shared/model), with
// embedded subset fonts passed in as bytes, the clock passed in as a value, and no
// randomness: the same input gives the same bytes.
//
// The document is two lists of sections, drawn in order. To add one, write a Section (a
// function of the SummaryContext that draws at the flow's cursor) beside the sections of
// its kind and list it below.

import { PDFDocument } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import type { VerificationReport } from '../evb/report';
import { buildEngineeringSlice, buildOverview } from '../model/slices';
import { agentNames } from '../model/agent-names';
import type { Section, SummaryContext, SummaryStatus } from './context';
import { embedFonts } from './fonts';
import type { GateSummaryInput, GateSummaryResult } from './input';
import { GateSummaryError } from './input';
import { Flow } from './layout';
import { GlyphLedger, TextShaper } from './text';
import { decisionSection, gateSection, participantsSection, scorecardSection, tiersSection, titleSection } from './page-one';
import { findingsSection, manifestSection, verificationSection } from './verification';
import { signOffSection } from './signoff';
import {
  checklistSection,
  complianceSection,
  drivingCasesSection,
  engineeringSection,
  financeSection,
  securitySection,
} from './stakeholder-pages';
import { notesSection } from './reviewer-notes';
import { attachmentsSection } from './attachments';
import { contentMargins, drawPageFrames, statusBandOf } from './page-frame';
import { writeFileId, writeMetadata } from './metadata';

export type { GateSummaryInput } from './input';
export { GateSummaryError } from './input';

/** Page 1: all of it must fit on one page, the sign-off block included. */
const SUMMARY_PAGE: readonly Section[] = [
  titleSection,
  decisionSection,
  gateSection,
  participantsSection,
  scorecardSection,
  tiersSection,
  verificationSection,
  signOffSection,
];

/** The pages after it, from a new page; the attachments are named at the end. */
const FOLLOWING_PAGES: readonly Section[] = [
  checklistSection,
  securitySection,
  complianceSection,
  engineeringSection,
  financeSection,
  drivingCasesSection,
  notesSection,
  findingsSection,
  manifestSection,
];

/** Font scale per density pass; the last is kept whether page 1 fits or not. */
const DENSITY_SCALES = [1, 0.93, 0.86] as const;

/** A file name for the summary of a bundle: "<bundle id>-gate-summary.pdf". */
export function gateSummaryFileName(bundleId: string): string {
  return `${bundleId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 128) || 'bundle'}-gate-summary.pdf`;
}

export async function buildGateSummaryPdf(input: GateSummaryInput): Promise<Uint8Array> {
  return (await buildGateSummary(input)).bytes;
}

export async function buildGateSummary(input: GateSummaryInput): Promise<GateSummaryResult> {
  summaryStatus(input.report);
  if (!input.packet || typeof input.packet !== 'object')
    throw new GateSummaryError('pdf-bad-input', 'There is no approval packet to summarize.');
  if (!(input.generatedAt instanceof Date) || Number.isNaN(input.generatedAt.getTime())) {
    throw new GateSummaryError('pdf-bad-input', 'The generation time is not a valid date.');
  }
  const models = summaryModels(input);
  // Page 1 must hold the whole summary with its sign-off block. When it does not (a long
  // band, many signers, long names), render again denser; the densest pass is kept as it is.
  const last = DENSITY_SCALES.length - 1;
  for (let density = 0; ; density++) {
    const result = await render(input, models, density, density >= last);
    if (result) return result;
  }
}

/** The view models more than one section (or more than one density pass) reads, built once. */
type SummaryModels = Pick<SummaryContext, 'overview' | 'engineering' | 'observations' | 'names'>;

function summaryModels(input: GateSummaryInput): SummaryModels {
  const observations = input.observations ?? null;
  return {
    observations,
    overview: buildOverview(input.packet, observations),
    engineering: buildEngineeringSlice(input.packet, observations),
    names: agentNames(input.packet.agents),
  };
}

/** The status a summary is made for; a malformed bundle has no summary. */
function summaryStatus(report: VerificationReport): SummaryStatus {
  if (report.status === 'malformed')
    throw new GateSummaryError('pdf-malformed-bundle', `The bundle is malformed, so it has no gate summary: ${report.summary}`);
  return report.status;
}

/** One pass at one density; null when page 1 overflowed and a denser pass is left. */
async function render(input: GateSummaryInput, models: SummaryModels, density: number, last: boolean): Promise<GateSummaryResult | null> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const fonts = await embedFonts(doc, input);
  const ledger = new GlyphLedger();
  const shaper = new TextShaper(fonts, ledger);
  const status = summaryStatus(input.report);
  const band = statusBandOf(input.report, shaper);
  const flow = new Flow(doc, shaper, contentMargins(band));
  const c = summaryContext(input, models, status, doc, flow, density);

  for (const section of SUMMARY_PAGE) section(c);
  if (flow.pages.length > 1 && !last) return null;
  flow.newPage();
  for (const section of FOLLOWING_PAGES) section(c);
  const attachmentNames = await attachmentsSection(c);
  drawPageFrames(c, band);
  writeMetadata(c);
  writeFileId(c);

  const bytes = await doc.save({ useObjectStreams: false });
  return {
    bytes,
    pageCount: flow.pages.length,
    missingGlyphs: ledger.missing,
    missingCodePoints: [...ledger.missingCodePoints]
      .sort((a, b) => a - b)
      .map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`),
    fallbackUsed: fonts.fallback !== null,
    attachmentNames,
  };
}

function summaryContext(
  input: GateSummaryInput,
  models: SummaryModels,
  status: SummaryStatus,
  doc: PDFDocument,
  flow: Flow,
  density: number,
): SummaryContext {
  const scale = DENSITY_SCALES[Math.min(density, DENSITY_SCALES.length - 1)]!;
  return {
    ...models,
    input,
    packet: input.packet,
    report: input.report,
    status,
    doc,
    flow,
    z: (size) => Math.round(size * scale * 100) / 100,
    ml: (lines) => (density === 0 ? lines : Math.max(1, lines - density)),
  };
}
