// What the user owns, kept in the browser's IndexedDB through Dexie: recent bundles
// (keyed by the file's SHA-256; never a copy of the file), the trust store, notes on
// replay steps, and a log of exported PDFs.
import Dexie from 'dexie';
import type { EntityTable } from 'dexie';
import type { BundleStatus } from '../shared/evb/report';
import type { TrustEntry, TrustStore } from '../shared/evb/crypto-types';
import type { IdentityEntry } from '../shared/evb/identity-trust';
import { keepRevocations } from '../shared/evb/trust-store';
import type { ReopenHandle } from './recent-open';

export interface RecentBundle {
  fileSha256: string;
  title: string | null;
  bundleId: string | null;
  status: BundleStatus;
  openedAt: string;
  fileName: string;
  /** Where the browser gave one (Chromium: a dropped or picked file): the file's handle, to reopen it on click. */
  handle?: ReopenHandle | null;
  /** Electron: the token main gave for the path it opened, to reopen it on click (main keeps the path). */
  reopenToken?: string | null;
}

export interface TrustKeyRow extends TrustEntry {
  /** When this key entered the app's store (ISO 8601). */
  addedAt: string;
}

/** A reviewer's note on a replay step, keyed by the bundle file's SHA-256, run agent and sequence number. */
export interface NoteRow {
  id?: number;
  bundleSha256: string;
  /** For display only: the bundle id the packet names. */
  bundleId: string | null;
  runAgentId: string;
  sequenceNumber: number;
  text: string;
  updatedAt: string;
}

export interface PdfExportRow {
  id?: number;
  bundleId: string;
  fileSha256: string;
  pdfSha256: string;
  fileName: string;
  exportedAt: string;
  /** Who signed off in the export, when given. */
  reviewer?: string | null;
  pages?: number;
  /** Characters no embedded font could draw (shown as a marker in the PDF). */
  missingGlyphs?: number;
}

/** The keyless sections of the trust store (spec 6), kept whole in one row. */
export interface TrustKeylessRow {
  id: 'keyless';
  identities: IdentityEntry[];
  trusted_roots: unknown[];
}

export type ExhibitDb = Dexie & {
  recent: EntityTable<RecentBundle, 'fileSha256'>;
  trustKeys: EntityTable<TrustKeyRow, 'keyid'>;
  trustKeyless: EntityTable<TrustKeylessRow, 'id'>;
  notes: EntityTable<NoteRow, 'id'>;
  pdfExports: EntityTable<PdfExportRow, 'id'>;
};

export function openDb(name = 'exhibit'): ExhibitDb {
  const db = new Dexie(name) as ExhibitDb;
  db.version(1).stores({
    recent: '&fileSha256, openedAt',
    trustKeys: '&keyid, principal',
    notes: '++id, [bundleId+runAgentId+sequenceNumber]',
    pdfExports: '++id, bundleId, exportedAt',
  });
  // Notes are keyed by the bundle file's SHA-256 (two files with one bundle id are two bundles).
  db.version(2).stores({
    notes: '++id, &[bundleSha256+runAgentId+sequenceNumber], bundleSha256',
  });
  // Keyless identities and Sigstore trusted roots, imported with a trust file.
  db.version(3).stores({ trustKeyless: '&id' });
  return db;
}

/** The rows as the trust store the verifier takes (the CLI's trust file shape). */
export function rowsToTrustStore(rows: readonly TrustKeyRow[]): TrustStore {
  const keys = [...rows]
    .sort((a, b) => (a.addedAt < b.addedAt ? -1 : a.addedAt > b.addedAt ? 1 : a.keyid < b.keyid ? -1 : 1))
    .map(({ addedAt: _addedAt, ...entry }) => ({ ...entry, roles: [...entry.roles] }));
  return { keys };
}

export async function loadTrustStore(db: ExhibitDb): Promise<TrustStore> {
  const store = rowsToTrustStore(await db.trustKeys.toArray());
  const keyless = await db.trustKeyless.get('keyless');
  if (keyless?.identities.length) store.identities = keyless.identities;
  if (keyless?.trusted_roots.length) store.trusted_roots = keyless.trusted_roots;
  return store;
}

/**
 * Replaces the whole store (import of a trust file replaces; use mergeTrustStore to add).
 * A key revoked in the store now stays revoked if the new store still holds it (the
 * earlier revocation wins), the rule of shared/evb/trust-store.ts: no import un-revokes.
 */
export async function saveTrustStore(db: ExhibitDb, store: TrustStore, now: string): Promise<void> {
  await db.transaction('rw', db.trustKeys, db.trustKeyless, async () => {
    const rows = await db.trustKeys.toArray();
    const existing = new Map(rows.map((r) => [r.keyid, r.addedAt]));
    const kept = keepRevocations(rowsToTrustStore(rows), store);
    await db.trustKeys.clear();
    await db.trustKeys.bulkPut(kept.keys.map((k) => ({ ...k, roles: [...k.roles], addedAt: existing.get(k.keyid) ?? now })));
    await db.trustKeyless.put({ id: 'keyless', identities: store.identities ?? [], trusted_roots: store.trusted_roots ?? [] });
  });
}

export async function rememberRecent(db: ExhibitDb, row: RecentBundle): Promise<void> {
  // Opened again without a way back (the file input, the demo): an earlier handle or token still reopens the same bytes.
  const before = row.handle && row.reopenToken ? null : await db.recent.get(row.fileSha256);
  await db.recent.put({
    ...row,
    handle: row.handle ?? before?.handle ?? null,
    reopenToken: row.reopenToken ?? before?.reopenToken ?? null,
  });
  const all = await db.recent.orderBy('openedAt').toArray();
  const excess = all.length - 20;
  if (excess > 0) await db.recent.bulkDelete(all.slice(0, excess).map((r) => r.fileSha256));
}

export async function listRecent(db: ExhibitDb): Promise<RecentBundle[]> {
  return (await db.recent.orderBy('openedAt').reverse().toArray()).slice(0, 20);
}

/** The notes on steps of one bundle, by run agent and sequence number. */
export async function listNotes(db: ExhibitDb, bundleSha256: string): Promise<NoteRow[]> {
  const rows = await db.notes.where('bundleSha256').equals(bundleSha256).toArray();
  return rows.sort((a, b) => (a.runAgentId < b.runAgentId ? -1 : a.runAgentId > b.runAgentId ? 1 : a.sequenceNumber - b.sequenceNumber));
}

export async function getNote(
  db: ExhibitDb,
  bundleSha256: string,
  runAgentId: string,
  sequenceNumber: number,
): Promise<NoteRow | undefined> {
  return db.notes.where('[bundleSha256+runAgentId+sequenceNumber]').equals([bundleSha256, runAgentId, sequenceNumber]).first();
}

/** Writes the note on a step; an empty text removes it. */
export async function saveNote(db: ExhibitDb, note: Omit<NoteRow, 'id'>): Promise<void> {
  await db.transaction('rw', db.notes, async () => {
    const existing = await getNote(db, note.bundleSha256, note.runAgentId, note.sequenceNumber);
    if (note.text.trim() === '') {
      if (existing?.id !== undefined) await db.notes.delete(existing.id);
      return;
    }
    await db.notes.put(existing?.id !== undefined ? { ...note, id: existing.id } : note);
  });
}
