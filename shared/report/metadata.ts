// The document's metadata: the info dictionary, the same in XMP, and a fixed file
// identifier, all from the input and its clock, so the same input gives the same bytes.

import { PDFArray, PDFHexString, PDFName } from 'pdf-lib';
import { hexEncode } from '../platform/hex';
import { Sha256Stream } from '../platform/sha256';
import type { SummaryContext } from './context';
import { iso } from './format';

const enc = new TextEncoder();

export function writeMetadata({ doc, packet, report, status, input, overview }: SummaryContext): void {
  const when = input.generatedAt;
  const bundleId = report.bundleId ?? packet.bundle_id;
  const title = `Gate summary: ${packet.title}`;
  const subject = `Bundle ${bundleId}, status ${status}`;
  const tiers = [...new Set(packet.agents.map((a) => a.evidence_tier))];
  const keywords = [
    `verdict:${packet.gate.verdict}`,
    `decision:${overview.decision.recommendation}`,
    `status:${status}`,
    ...tiers.map((t) => `tier:${t}`),
  ];
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
}

/** A fixed file identifier: a digest of what the document was made from. */
export function writeFileId({ doc, report, input }: SummaryContext): void {
  const idHash = new Sha256Stream()
    .update(
      enc.encode(
        JSON.stringify([
          report.fileSha256,
          report.tagmanifestSha256,
          report.status,
          report.verifiedAt,
          iso(input.generatedAt),
          input.exhibitVersion,
          input.signoff ?? null,
          input.notes ?? null,
        ]),
      ),
    )
    .update(input.attachments.packetJson)
    .digest();
  const id = PDFHexString.of(hexEncode(idHash.subarray(0, 16)));
  const ids = PDFArray.withContext(doc.context);
  ids.push(id);
  ids.push(id);
  doc.context.trailerInfo.ID = ids;
}

/** Characters XML 1.0 cannot carry (C0 controls but tab, LF, CR; U+FFFE, U+FFFF), replaced by U+FFFD. */
function xmlSafe(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    out += (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || cp === 0xfffe || cp === 0xffff ? '\uFFFD' : ch;
  }
  return out;
}

function xmlEscape(s: string): string {
  return xmlSafe(s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`));
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
