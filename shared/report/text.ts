// Text for the PDF: per-character font choice (the style's font, then the regular font,
// then the CJK fallback), a visible marker for a character no font has (counted, never
// dropped), measuring, and wrapping that never lets a line run past its width: words are
// broken by character when they must be, and a block cut short ends with an ellipsis.

import type { PDFFont } from 'pdf-lib';

/** Drawn in place of a character no embedded font has. */
const MISSING_MARKER = '\uFFFD';
const ELLIPSIS = '\u2026';

export type Style = 'regular' | 'bold' | 'mono';

export interface FontSet {
  regular: PDFFont;
  bold: PDFFont;
  mono: PDFFont;
  fallback: PDFFont | null;
}

interface Run {
  font: PDFFont;
  text: string;
}

/** Counts what could not be drawn as given, across a whole document. */
export class GlyphLedger {
  missing = 0;
  readonly missingCodePoints = new Set<number>();
}

/** C0 and C1 controls but tab and line feed (which wrap() turns into space and line breaks), and DEL. */
function isControl(cp: number): boolean {
  return cp <= 0x08 || (cp >= 0x0b && cp <= 0x1f) || (cp >= 0x7f && cp <= 0x9f);
}

export class TextShaper {
  private readonly sets = new Map<PDFFont, Set<number>>();
  private readonly cache = new Map<string, Run[]>();
  private readonly advances = new Map<PDFFont, Map<string, number>>();

  constructor(
    readonly fonts: FontSet,
    readonly ledger: GlyphLedger,
  ) {
    for (const f of [fonts.regular, fonts.bold, fonts.mono, fonts.fallback]) if (f) this.sets.set(f, new Set(f.getCharacterSet()));
  }

  has(font: PDFFont, cp: number): boolean {
    return this.sets.get(font)?.has(cp) ?? false;
  }

  /** Which font draws this code point in this style, or null when none does. */
  fontFor(style: Style, cp: number): PDFFont | null {
    const own = this.fonts[style];
    if (this.has(own, cp)) return own;
    if (this.has(this.fonts.regular, cp)) return this.fonts.regular;
    if (this.fonts.fallback && this.has(this.fonts.fallback, cp)) return this.fonts.fallback;
    return null;
  }

  /**
   * Splits one line of text (no line breaks) into runs of one font each. Characters no
   * font has, and control characters, become MISSING_MARKER and are counted in the
   * ledger once per call.
   */
  runs(text: string, style: Style, count = true): Run[] {
    const key = `${style}\u0000${text}`;
    const hit = this.cache.get(key);
    if (hit && !count) return hit;
    const out: Run[] = [];
    let current: Run | null = null;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let font = isControl(cp) ? null : this.fontFor(style, cp);
      let draw = ch;
      if (font === null) {
        if (count) {
          this.ledger.missing += 1;
          this.ledger.missingCodePoints.add(cp);
        }
        draw = MISSING_MARKER;
        font = this.fontFor(style, MISSING_MARKER.codePointAt(0)!) ?? this.fonts.regular;
      }
      if (current && current.font === font) current.text += draw;
      else {
        current = { font, text: draw };
        out.push(current);
      }
    }
    this.cache.set(key, out);
    return out;
  }

  /**
   * The drawn width: the sum of the glyphs' advances, which is what the PDF shows (text is
   * drawn glyph by glyph with the font's widths, no kerning). Cached per character, since
   * fontkit's full layout per measurement is far too slow for wrapping.
   */
  width(text: string, style: Style, size: number): number {
    let w = 0;
    for (const r of this.runs(text, style, false)) {
      let perFont = this.advances.get(r.font);
      if (!perFont) this.advances.set(r.font, (perFont = new Map()));
      for (const ch of r.text) {
        let a = perFont.get(ch);
        if (a === undefined) perFont.set(ch, (a = r.font.widthOfTextAtSize(ch, 1)));
        w += a;
      }
    }
    return w * size;
  }

  /**
   * Wraps text into lines no wider than `width`. Line breaks in the text are kept; words
   * longer than a line are broken between characters (never between a character and its
   * combining marks). With maxLines, the last kept line ends with an ellipsis when text
   * was cut.
   */
  wrap(text: string, style: Style, size: number, width: number, maxLines = Infinity): string[] {
    const lines: string[] = [];
    const paragraphs = text.normalize('NFC').replace(/\r\n?/g, '\n').split('\n');
    let truncated = false;
    outer: for (const para of paragraphs) {
      const words = para.replace(/\t/g, ' ').split(/(?<= )/); // keep the space with the word before it
      let line = '';
      for (const word of words) {
        const candidate = line + word;
        if (this.width(candidate.trimEnd(), style, size) <= width) {
          line = candidate;
          continue;
        }
        if (line.trim() !== '') {
          lines.push(line.trimEnd());
          if (lines.length >= maxLines) {
            truncated = true;
            break outer;
          }
          line = '';
        }
        // The word alone: break it by grapheme-ish clusters while it is too wide.
        let rest = word;
        while (this.width(rest.trimEnd(), style, size) > width) {
          const clusters = rest.match(/\P{M}\p{M}*|\p{M}+/gsu) ?? [rest];
          let piece = '';
          let used = 0;
          for (const c of clusters) {
            if (piece !== '' && this.width(piece + c, style, size) > width) break;
            piece += c;
            used += c.length;
          }
          // Never end a broken line with a hyphen: text extractors (pdftotext) take it for
          // hyphenation and join the lines without it, so "ra-cand-7d21" would read "ra-cand7d21".
          if (piece.length > 1 && /[-\u2010\u2011\u00AD]$/.test(piece) && used < rest.length) {
            piece = piece.slice(0, -1);
            used -= 1;
          }
          lines.push(piece);
          if (lines.length >= maxLines) {
            truncated = used < rest.length || paragraphs.length > 1;
            break outer;
          }
          rest = rest.slice(used);
        }
        line = rest;
      }
      lines.push(line.trimEnd());
      if (lines.length >= maxLines) {
        truncated = para !== paragraphs[paragraphs.length - 1];
        break;
      }
    }
    if (truncated && lines.length > 0) lines[lines.length - 1] = this.ellipsize(lines[lines.length - 1]!, style, size, width, true);
    return lines;
  }

  /** Cuts text to one line of `width`, ending with an ellipsis when cut (or when forced). */
  ellipsize(text: string, style: Style, size: number, width: number, force = false): string {
    const flat = text.normalize('NFC').replace(/\s+/g, ' ');
    if (!force && this.width(flat, style, size) <= width) return flat;
    const clusters = flat.match(/\P{M}\p{M}*|\p{M}+/gsu) ?? [];
    // Binary search the longest prefix that fits with the ellipsis.
    let lo = 0;
    let hi = clusters.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.width(clusters.slice(0, mid).join('').trimEnd() + ELLIPSIS, style, size) <= width) lo = mid;
      else hi = mid - 1;
    }
    return clusters.slice(0, lo).join('').trimEnd() + ELLIPSIS;
  }
}
