// "Export PDF" on Overview ([data-testid="export-pdf"]): the sign-off fields, the PDF gate
// summary built here in the renderer by the same shared/report function the CLI uses
// (fonts loaded as the app's own assets), saved through the host (a download in the web
// build, the save dialog in Electron), and a log of every export in Dexie (time, file name,
// PDF SHA-256, bundle SHA-256, reviewer) so an archive can prove which PDF came from which
// bundle.
import { useContext, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { Packet } from '../../shared/model/packet-types';
import type { VerificationReport } from '../../shared/evb/report';
import type { HostApi } from '../../shared/ipc/host-api';
import type { ReplayObservations } from '../../shared/model/observations';
import type { GateSummaryInput } from '../../shared/report/gate-summary';
import type { ExhibitDb, PdfExportRow } from '../db';
import { listNotes, openDb } from '../db';
import { digestHex } from '../../shared/platform/webcrypto';
import { isoDayValid } from '../components/IsoDateInput';
import { FileHashContext, hashedPercent } from '../components/FileSha256';
import { version as exhibitVersion } from '../../package.json';

export interface ExportPdfSlotProps {
  packet: Packet;
  report: VerificationReport;
  host: HostApi;
  /** data/packet.json as signed (from the opened model), attached byte for byte. */
  packetBytes: Uint8Array;
  observations?: ReplayObservations | null;
  db?: ExhibitDb;
}

/** A row of the export log (PdfExportRow carries the reviewer, pages and missing glyphs). */
export type PdfExportRecord = PdfExportRow;

const FONT_URLS = {
  regular: new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url).href,
  bold: new URL('../../assets/fonts/DejaVuSans-Bold.ttf', import.meta.url).href,
  mono: new URL('../../assets/fonts/DejaVuSansMono.ttf', import.meta.url).href,
  fallback: new URL('../../assets/fonts/WenQuanYiMicroHei.ttf', import.meta.url).href,
};

let fontsPromise: Promise<GateSummaryInput['fonts']> | null = null;

function loadFonts(): Promise<GateSummaryInput['fonts']> {
  const get = async (url: string) => {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`The PDF font ${url} could not be loaded (${r.status}).`);
    return new Uint8Array(await r.arrayBuffer());
  };
  fontsPromise ??= (async () => ({
    regular: await get(FONT_URLS.regular),
    bold: await get(FONT_URLS.bold),
    mono: await get(FONT_URLS.mono),
    fallback: await get(FONT_URLS.fallback),
  }))().catch((e: unknown) => {
    fontsPromise = null;
    throw e;
  });
  return fontsPromise;
}

let sharedDb: ExhibitDb | null = null;

/** Builds the PDF gate summary (with the reviewer's notes on this bundle's steps) and names its file. */
async function makePdf(args: {
  packet: Packet;
  report: VerificationReport;
  packetBytes: Uint8Array;
  observations: ReplayObservations | null;
  db: ExhibitDb;
  signoff: GateSummaryInput['signoff'];
  now: Date;
}) {
  const { packet, report, db } = args;
  // pdf-lib and fontkit load on first use, not with the app.
  const { buildGateSummary, gateSummaryFileName } = await import('../../shared/report/gate-summary');
  const fonts = await loadFonts();
  const notes = (report.fileSha256 ? await listNotes(db, report.fileSha256).catch(() => []) : []).map((n) => ({
    runAgentId: n.runAgentId,
    sequence: n.sequenceNumber,
    text: n.text,
    author: null,
    createdAt: n.updatedAt,
  }));
  const result = await buildGateSummary({
    packet,
    report,
    fonts,
    signoff: args.signoff,
    notes,
    observations: args.observations,
    attachments: { packetJson: args.packetBytes },
    generatedAt: args.now,
    exhibitVersion,
  });
  return { result, name: gateSummaryFileName(report.bundleId ?? packet.bundle_id) };
}

/** The PDFs exported from this bundle, newest first; none when the log cannot be read. */
async function loadExports(db: ExhibitDb, bundleId: string): Promise<PdfExportRecord[]> {
  try {
    const rows = (await db.pdfExports.where('bundleId').equals(bundleId).toArray()) as PdfExportRecord[];
    return rows.sort((a, b) => (a.exportedAt < b.exportedAt ? 1 : -1));
  } catch {
    return [];
  }
}

export function ExportPdfSlot({ packet, report, host, packetBytes, observations, db: givenDb }: ExportPdfSlotProps) {
  const db = givenDb ?? (sharedDb ??= openDb());
  const [fields, setFields] = useState<SignoffText>({ reviewer: '', role: '', date: '', decision: '' });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [exports, setExports] = useState<PdfExportRecord[]>([]);
  const bundleId = report.bundleId ?? packet.bundle_id;
  // The PDF names the file's SHA-256: while the web build computes it, export waits.
  const fileHash = useContext(FileHashContext);
  const hashing = !report.fileSha256 && fileHash.kind === 'hashing' ? fileHash : null;

  useEffect(() => {
    let live = true;
    void loadExports(db, bundleId).then((rows) => live && setExports(rows));
    return () => {
      live = false;
    };
  }, [db, bundleId]);
  if (report.status === 'malformed') return null;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (fields.date.trim() && !isoDayValid(fields.date.trim())) {
      setMessage({ kind: 'error', text: `The sign-off date "${fields.date.trim()}" is not a date: type it as YYYY-MM-DD.` });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const signoff = {
        reviewer: fields.reviewer.trim() || undefined,
        role: fields.role.trim() || undefined,
        date: fields.date.trim() || undefined,
        decision: fields.decision.trim() || undefined,
      };
      const now = new Date();
      const { result, name } = await makePdf({ packet, report, packetBytes, observations: observations ?? null, db, signoff, now });
      const saved = await host.saveFile(name, result.bytes, 'application/pdf');
      if (!saved.saved) {
        setMessage({ kind: 'error', text: 'Export cancelled; nothing was saved.' });
        return;
      }
      const pdfSha256 = await digestHex('SHA-256', result.bytes);
      const row: PdfExportRecord = {
        bundleId,
        fileSha256: report.fileSha256 ?? '',
        pdfSha256,
        fileName: saved.name ?? name,
        exportedAt: now.toISOString(),
        reviewer: signoff.reviewer ?? null,
        pages: result.pageCount,
        missingGlyphs: result.missingGlyphs,
      };
      await db.pdfExports.add(row);
      setExports(await loadExports(db, bundleId));
      setMessage({
        kind: 'ok',
        text: `Saved ${row.fileName} (${result.pageCount} pages, SHA-256 ${pdfSha256.slice(0, 16)}…)${result.missingGlyphs ? `; ${result.missingGlyphs} character(s) no font has are shown as \uFFFD` : ''}.`,
      });
    } catch (err) {
      setMessage({ kind: 'error', text: `The PDF could not be made: ${(err as Error).message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="export-pdf" aria-label="Export the PDF gate summary">
      <form onSubmit={(e) => void onSubmit(e)}>
        <button type="submit" className="primary" data-testid="export-pdf" disabled={busy || hashing !== null}>
          {busy ? 'Making the PDF…' : hashing ? `Computing the file's SHA-256 (${hashedPercent(hashing)}%)…` : 'Export PDF'}
        </button>
        {report.status !== 'verified' ? (
          <span className="small muted"> Every page of the PDF will carry the status: {report.status.replace(/-/g, ' ')}.</span>
        ) : null}
        <details className="signoff-details" data-testid="signoff">
          <summary>Add a sign-off to the PDF</summary>
          <SignoffFields fields={fields} onChange={setFields} />
        </details>
      </form>
      {message ? (
        <p role="status" className={message.kind === 'error' ? 'error small' : 'small'} data-testid="export-pdf-message">
          {message.text}
        </p>
      ) : null}
      <ExportLog exports={exports} />
    </section>
  );
}

function ExportLog({ exports }: { exports: PdfExportRecord[] }) {
  if (exports.length === 0) return null;
  return (
    <details data-testid="pdf-exports">
      <summary>PDFs exported from this bundle ({exports.length})</summary>
      <table className="small">
        <thead>
          <tr>
            <th>Time</th>
            <th>File</th>
            <th>Reviewer</th>
            <th>PDF SHA-256</th>
            <th>Bundle SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {exports.map((x) => (
            <tr key={x.id ?? x.exportedAt}>
              <td>{x.exportedAt}</td>
              <td>{x.fileName}</td>
              <td>{x.reviewer ?? '—'}</td>
              <td>
                <code className="digest">{x.pdfSha256}</code>
              </td>
              <td>
                <code className="digest">{x.fileSha256 || 'not computed'}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

interface SignoffText {
  reviewer: string;
  role: string;
  date: string;
  decision: string;
}

function SignoffFields({ fields, onChange }: { fields: SignoffText; onChange: (f: SignoffText) => void }) {
  const set = (patch: Partial<SignoffText>) => onChange({ ...fields, ...patch });
  return (
    <div className="signoff-fields">
      <label>
        Reviewer{' '}
        <input
          type="text"
          value={fields.reviewer}
          onChange={(e) => set({ reviewer: e.target.value })}
          data-testid="signoff-reviewer"
          autoComplete="name"
        />
      </label>
      <label>
        Role <input type="text" value={fields.role} onChange={(e) => set({ role: e.target.value })} data-testid="signoff-role" />
      </label>
      <label>
        Date (YYYY-MM-DD){' '}
        <input
          type="text"
          inputMode="numeric"
          pattern="\d{4}-\d{2}-\d{2}"
          placeholder="YYYY-MM-DD"
          title="An ISO 8601 date, YYYY-MM-DD"
          value={fields.date}
          onChange={(e) => set({ date: e.target.value })}
          data-testid="signoff-date"
        />
      </label>
      <label>
        Decision{' '}
        <input type="text" value={fields.decision} onChange={(e) => set({ decision: e.target.value })} data-testid="signoff-decision" />
      </label>
    </div>
  );
}
