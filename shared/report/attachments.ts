// The files embedded in the PDF, so a reader can check the summary against them:
// packet.json, each verified statement, and the verification report.

import type { SummaryContext } from './context';
import { MUTED } from './layout';

const enc = new TextEncoder();

/** Embeds the files, then names them at the end of the document. Returns their names, in order. */
export async function attachmentsSection({ doc, flow, input, report }: SummaryContext): Promise<string[]> {
  const names: string[] = [];
  const when = input.generatedAt;
  const attach = async (bytes: Uint8Array, name: string, mimeType: string, description: string) => {
    await doc.attach(bytes, name, { mimeType, description, creationDate: when, modificationDate: when });
    names.push(name);
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
  flow.text(`Attached to this PDF: ${names.join(', ')}.`, { size: 7.5, color: MUTED, after: 2 });
  return names;
}
