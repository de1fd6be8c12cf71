// A small flow layout over pdf-lib: a cursor that moves down the page, text blocks that
// wrap and paginate line by line, and tables whose rows wrap per cell and repeat their
// header on a new page. Nothing is ever drawn outside the content box.

import type { PDFDocument, PDFPage, RGB } from 'pdf-lib';
import { rgb } from 'pdf-lib';
import type { BundleStatus } from '../evb/report';
import { STATUS_TABLE } from '../evb/status';
import type { StatusTone } from '../evb/status';
import type { Style, TextShaper } from './text';

export const A4: [number, number] = [595.28, 841.89];

export const INK = rgb(0.1, 0.1, 0.11);
export const MUTED = rgb(0.38, 0.38, 0.42);
export const RULE = rgb(0.78, 0.78, 0.8);
const SHADE = rgb(0.95, 0.95, 0.96);
export const GREEN = rgb(0.1, 0.45, 0.2);
export const AMBER = rgb(0.66, 0.4, 0.0);
export const RED = rgb(0.72, 0.12, 0.1);

/** The colour of each status tone of the status table: one colour per status, everywhere in the PDF. */
const TONE_COLOR: Readonly<Record<StatusTone, RGB>> = { ok: GREEN, warn: AMBER, bad: RED };

export function statusColor(status: BundleStatus): RGB {
  return TONE_COLOR[STATUS_TABLE[status].tone];
}

interface TextOptions {
  style?: Style;
  size?: number;
  color?: RGB;
  indent?: number;
  width?: number;
  maxLines?: number;
  /** Extra space after the block. */
  after?: number;
  lineGap?: number;
}

interface Column {
  title: string;
  /** Fraction of the table width. */
  share: number;
  style?: Style;
  align?: 'left' | 'right';
}

export interface Cell {
  text: string;
  color?: RGB;
  style?: Style;
}

interface TableOptions {
  size?: number;
  /** Most lines one cell may take before it ends with an ellipsis. */
  maxLines?: number;
  zebra?: boolean;
}

export class Flow {
  readonly pages: PDFPage[] = [];
  page!: PDFPage;
  y = 0;
  readonly left: number;
  readonly right: number;
  readonly width: number;

  constructor(
    readonly doc: PDFDocument,
    readonly shaper: TextShaper,
    readonly margins: { top: number; bottom: number; side: number },
  ) {
    this.left = margins.side;
    this.right = A4[0] - margins.side;
    this.width = this.right - this.left;
    this.newPage();
  }

  get top(): number {
    return A4[1] - this.margins.top;
  }

  get bottom(): number {
    return this.margins.bottom;
  }

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    this.y = this.top;
  }

  /** Starts a new page unless `height` still fits. */
  ensure(height: number): void {
    if (this.y - height < this.bottom) this.newPage();
  }

  space(h: number): void {
    this.y -= h;
  }

  /** Draws one line of text at (x, baseline), already known to fit. */
  drawLine(text: string, x: number, baseline: number, style: Style, size: number, color: RGB = INK): void {
    let at = x;
    for (const run of this.shaper.runs(text, style)) {
      this.page.drawText(run.text, { x: at, y: baseline, size, font: run.font, color });
      at += run.font.widthOfTextAtSize(run.text, size);
    }
  }

  /** A wrapped block of text, paginated line by line. Returns the lines drawn. */
  text(text: string, o: TextOptions = {}): string[] {
    const style = o.style ?? 'regular';
    const size = o.size ?? 8.5;
    const indent = o.indent ?? 0;
    const width = Math.min(o.width ?? this.width - indent, this.width - indent);
    const lh = size * (1.25 + (o.lineGap ?? 0));
    const lines = this.shaper.wrap(text, style, size, width, o.maxLines ?? 200);
    for (const line of lines) {
      this.ensure(lh);
      this.y -= lh;
      this.drawLine(line, this.left + indent, this.y + size * 0.25, style, size, o.color ?? INK);
    }
    this.y -= o.after ?? 0;
    return lines;
  }

  heading(text: string, size = 11): void {
    this.ensure(size * 1.3 + 40);
    this.y -= size * 0.45;
    this.text(text, { style: 'bold', size, maxLines: 2 });
    this.page.drawLine({ start: { x: this.left, y: this.y - 1.5 }, end: { x: this.right, y: this.y - 1.5 }, thickness: 0.6, color: RULE });
    this.y -= 3.5;
  }

  /** Label: value rows, the label in a fixed column. */
  pairs(
    rows: Array<[string, string, Style?, RGB?]>,
    o: { labelWidth?: number; size?: number; maxLines?: number; indent?: number } = {},
  ): void {
    const size = o.size ?? 8.5;
    const lw = o.labelWidth ?? 110;
    const indent = o.indent ?? 0;
    const lh = size * 1.25;
    for (const [label, value, style, color] of rows) {
      const labelLines = this.shaper.wrap(label, 'bold', size, lw - 6, 2);
      const valueLines = this.shaper.wrap(value, style ?? 'regular', size, this.width - indent - lw, o.maxLines ?? 4);
      const n = Math.max(labelLines.length, valueLines.length);
      this.ensure(n * lh);
      labelLines.forEach((l, i) => this.drawLine(l, this.left + indent, this.y - lh * (i + 1) + size * 0.25, 'bold', size, MUTED));
      valueLines.forEach((l, i) =>
        this.drawLine(l, this.left + indent + lw, this.y - lh * (i + 1) + size * 0.25, style ?? 'regular', size, color ?? INK),
      );
      this.y -= n * lh + 1.5;
    }
  }

  table(columns: Column[], rows: Cell[][], o: TableOptions = {}): void {
    const size = o.size ?? 8;
    const lh = size * 1.25;
    const pad = 2.2;
    const total = columns.reduce((s, c) => s + c.share, 0);
    const widths = columns.map((c) => (c.share / total) * this.width);
    const xs: number[] = [];
    widths.reduce((x, w) => (xs.push(x), x + w), this.left);
    const drawHeader = () => {
      const heads = columns.map((c, i) => this.shaper.wrap(c.title, 'bold', size, widths[i]! - 2 * pad, 2));
      const n = Math.max(...heads.map((h) => h.length));
      const h = n * lh + 2 * pad;
      this.page.drawRectangle({ x: this.left, y: this.y - h, width: this.width, height: h, color: SHADE });
      heads.forEach((lines, i) =>
        lines.forEach((l, j) => this.drawLine(l, xs[i]! + pad, this.y - pad - lh * (j + 1) + size * 0.25, 'bold', size, MUTED)),
      );
      this.y -= h;
    };
    const headerHeight = lh * 2 + 2 * pad;
    this.ensure(headerHeight + lh + 2 * pad);
    drawHeader();
    rows.forEach((row, r) => {
      const cells = columns.map((c, i) => {
        const cell = row[i] ?? { text: '' };
        const style = cell.style ?? c.style ?? 'regular';
        const lines = this.shaper.wrap(cell.text, style, size, widths[i]! - 2 * pad, o.maxLines ?? 6);
        return { lines, style, color: cell.color ?? INK, align: c.align ?? 'left' };
      });
      const n = Math.max(1, ...cells.map((c) => c.lines.length));
      const h = n * lh + 2 * pad;
      if (this.y - h < this.bottom) {
        this.newPage();
        drawHeader();
      }
      if (o.zebra !== false && r % 2 === 1)
        this.page.drawRectangle({ x: this.left, y: this.y - h, width: this.width, height: h, color: rgb(0.975, 0.975, 0.98) });
      cells.forEach((c, i) =>
        c.lines.forEach((l, j) => {
          const w = this.shaper.width(l, c.style, size);
          const x = c.align === 'right' ? xs[i]! + widths[i]! - pad - w : xs[i]! + pad;
          this.drawLine(l, x, this.y - pad - lh * (j + 1) + size * 0.25, c.style, size, c.color);
        }),
      );
      this.y -= h;
      this.page.drawLine({ start: { x: this.left, y: this.y }, end: { x: this.right, y: this.y }, thickness: 0.3, color: RULE });
    });
    this.y -= 6;
  }
}
