// The fonts of the PDF: embedded as subsets from the bytes passed in, with the fallback
// (CJK, Hangul) embedded only when some text needs it.

import type { PDFDocument, PDFFont } from 'pdf-lib';
import type { GateSummaryInput } from './input';
import { GateSummaryError } from './input';
import type { FontSet } from './text';

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

/** Embeds regular, bold, mono (or the regular font again) and, when needed, the fallback. */
export async function embedFonts(doc: PDFDocument, input: GateSummaryInput): Promise<FontSet> {
  const { packet, report } = input;
  const regular = await embed(doc, input.fonts.regular, 'EXHBRG+Regular');
  const bold = await embed(doc, input.fonts.bold, 'EXHBBD+Bold');
  const mono = input.fonts.mono ? await embed(doc, input.fonts.mono, 'EXHBMO+Mono') : regular;
  const texts = [
    packet,
    report.signatures,
    report.files.map((f) => f.path),
    report.trustStore,
    report.fileName,
    input.notes,
    input.signoff,
  ];
  const fallback = input.fonts.fallback && needsFallback(regular, texts) ? await embed(doc, input.fonts.fallback, 'EXHBFB+Fallback') : null;
  return { regular, bold, mono, fallback };
}
