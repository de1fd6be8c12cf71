// What every page carries around its content: the header (bundle id, status), the band of
// a bundle that is not verified, and the footer (bundle digest, who made it when, page n
// of N). Drawn last, once the number of pages is known.

import { rgb } from 'pdf-lib';
import { statusBand, statusWord } from '../evb/status';
import type { VerificationReport } from '../evb/report';
import type { SummaryContext } from './context';
import { A4, MUTED, RULE, statusColor } from './layout';
import type { TextShaper } from './text';
import { iso } from './format';

const SIDE = 40;
const BAND_SIZE = 9;
const BAND_LEADING = 11.5;
const BAND_MAX_LINES = 3;

/** The status band: its text and height, or null for a verified bundle. */
interface StatusBand {
  text: string;
  height: number;
}

export function statusBandOf(report: VerificationReport, shaper: TextShaper): StatusBand | null {
  const text = statusBand(report);
  if (text === null) return null;
  const lines = shaper.wrap(text, 'bold', BAND_SIZE, A4[0] - 2 * SIDE - 16, BAND_MAX_LINES);
  return { text, height: lines.length * BAND_LEADING + 8 };
}

/** The content box of every page: below the header and band, above the footer. */
export function contentMargins(band: StatusBand | null): { top: number; bottom: number; side: number } {
  return { top: 48 + (band ? band.height + 6 : 0), bottom: 42, side: SIDE };
}

export function drawPageFrames(c: SummaryContext, band: StatusBand | null): void {
  const { flow } = c;
  const total = flow.pages.length;
  flow.pages.forEach((page, i) => {
    flow.page = page;
    drawHeader(c);
    if (band) drawBand(c, band);
    drawFooter(c, i + 1, total);
  });
}

function drawHeader({ flow, report, packet, status }: SummaryContext): void {
  const { shaper } = flow;
  const h = A4[1];
  const left = SIDE;
  const right = A4[0] - SIDE;
  const headerText = `Exhibit gate summary \u00b7 ${report.bundleId ?? packet.bundle_id}`;
  const statusText = statusWord(status);
  const statusW = shaper.width(statusText, 'bold', 8);
  flow.drawLine(shaper.ellipsize(headerText, 'regular', 8, right - left - statusW - 20), left, h - 32, 'regular', 8, MUTED);
  flow.drawLine(statusText, right - statusW, h - 32, 'bold', 8, statusColor(status));
  flow.page.drawLine({ start: { x: left, y: h - 38 }, end: { x: right, y: h - 38 }, thickness: 0.5, color: RULE });
}

function drawBand({ flow, status }: SummaryContext, band: StatusBand): void {
  const h = A4[1];
  const left = SIDE;
  const right = A4[0] - SIDE;
  const lines = flow.shaper.wrap(band.text, 'bold', BAND_SIZE, right - left - 16, BAND_MAX_LINES);
  flow.page.drawRectangle({ x: left, y: h - 44 - band.height, width: right - left, height: band.height, color: statusColor(status) });
  lines.forEach((l, j) => flow.drawLine(l, left + 8, h - 44 - 4 - BAND_LEADING * (j + 1) + 2.5, 'bold', BAND_SIZE, rgb(1, 1, 1)));
}

function drawFooter({ flow, report, input }: SummaryContext, page: number, total: number): void {
  const { shaper } = flow;
  const left = SIDE;
  const right = A4[0] - SIDE;
  const shaFooter = report.fileSha256 ? `.evb SHA-256 ${report.fileSha256.slice(0, 16)}\u2026` : '.evb SHA-256 not computed';
  flow.page.drawLine({ start: { x: left, y: 34 }, end: { x: right, y: 34 }, thickness: 0.5, color: RULE });
  const pageText = `Page ${page} of ${total}`;
  flow.drawLine(shaFooter, left, 22, 'mono', 7, MUTED);
  flow.drawLine(pageText, right - shaper.width(pageText, 'regular', 7.5), 22, 'regular', 7.5, MUTED);
  const made = `Made by Exhibit ${input.exhibitVersion} at ${iso(input.generatedAt)}`;
  flow.drawLine(made, (left + right) / 2 - shaper.width(made, 'regular', 7) / 2, 22, 'regular', 7, MUTED);
}
