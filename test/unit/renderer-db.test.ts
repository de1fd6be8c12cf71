// The renderer's Dexie store: trust keys convert to and from the CLI's trust file, and
// recent bundles are keyed by file SHA-256 and capped.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  getNote,
  listNotes,
  listRecent,
  loadTrustStore,
  openDb,
  rememberRecent,
  rowsToTrustStore,
  saveNote,
  saveTrustStore,
} from '../../renderer/db';
import type { ExhibitDb, TrustKeyRow } from '../../renderer/db';
import { generateEd25519KeyPair, parsePublicKey } from '../../shared/evb/keys';
import { addTrustedKey, emptyTrustStore, parseTrustStore, revokeTrustedKey, serializeTrustStore } from '../../shared/evb/trust';

let db: ExhibitDb | null = null;
let n = 0;
function freshDb(): ExhibitDb {
  db = openDb(`exhibit-test-${n++}`);
  return db;
}
afterEach(async () => {
  await db?.delete();
  db = null;
});

async function twoKeyStore() {
  const a = await parsePublicKey((await generateEd25519KeyPair()).publicPem);
  const b = await parsePublicKey((await generateEd25519KeyPair()).publicPem);
  let store = addTrustedKey(emptyTrustStore(), a, { principal: 'Alice', roles: ['approver'], validUntil: '2030-01-01T00:00:00Z' });
  store = addTrustedKey(store, b, { principal: 'Bob' });
  return { store, a, b };
}

describe('trust store in Dexie', () => {
  it('round-trips a trust file through the database into the same trust file', async () => {
    const d = freshDb();
    const { store } = await twoKeyStore();
    const text = serializeTrustStore(store);
    await saveTrustStore(d, await parseTrustStore(text, 'trust.json'), '2026-11-22T10:00:00Z');
    const loaded = await loadTrustStore(d);
    // The database keeps keys by keyid, so they come back in keyid order; order means nothing.
    const byKeyid = (s: typeof store) => ({ keys: [...s.keys].sort((x, y) => (x.keyid < y.keyid ? -1 : 1)) });
    expect(serializeTrustStore(byKeyid(loaded))).toBe(serializeTrustStore(byKeyid(store)));
    // What the verifier receives has no database bookkeeping in it.
    expect(Object.keys(loaded.keys[0]!).sort()).toEqual([
      'keyid',
      'principal',
      'public_key',
      'revocation_reason',
      'revoked_at',
      'roles',
      'valid_from',
      'valid_until',
    ]);
  });

  it('keeps the keyless identities and trusted roots of an imported trust file, and drops them on an import without them', async () => {
    const d = freshDb();
    const root = JSON.parse(readFileSync(join(__dirname, '../../shared/evb/sigstore/public-good-trusted-root.json'), 'utf8')) as unknown;
    const identity = {
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'https://github.com/example-org/release/.github/workflows/evidence.yml@refs/heads/main',
      subject_pattern: null,
      principal: 'Release workflow',
      roles: ['producer'],
      valid_from: null,
      valid_until: null,
      revoked_at: null,
      revocation_reason: null,
    };
    const text = JSON.stringify({ keys: [], identities: [identity], trusted_roots: [root] });
    await saveTrustStore(d, await parseTrustStore(text, 'trust.json'), '2026-11-22T10:00:00Z');
    expect(JSON.parse(serializeTrustStore(await loadTrustStore(d)))).toEqual(JSON.parse(text));
    await saveTrustStore(d, await parseTrustStore('{"keys":[]}', 'empty.json'), '2026-11-23T10:00:00Z');
    expect(await loadTrustStore(d)).toEqual({ keys: [] });
  });

  it('keeps when a key was first added when the store is saved again, and keeps a revocation', async () => {
    const d = freshDb();
    const { store, a, b } = await twoKeyStore();
    await saveTrustStore(d, store, '2026-11-01T00:00:00Z');
    const revoked = revokeTrustedKey(store, a.keyid, '2026-11-20T00:00:00Z', 'key leaked');
    await saveTrustStore(d, revoked, '2026-11-22T00:00:00Z');
    const rows = await d.trustKeys.toArray();
    expect(rows.map((r) => r.addedAt)).toEqual(['2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z']);
    const loaded = await loadTrustStore(d);
    expect(loaded.keys.find((k) => k.keyid === a.keyid)).toMatchObject({
      revoked_at: '2026-11-20T00:00:00Z',
      revocation_reason: 'key leaked',
    });
    expect(loaded.keys.find((k) => k.keyid === b.keyid)!.revoked_at).toBeNull();
  });

  it('an imported trust file never un-revokes a key the store has revoked (the earlier revocation wins)', async () => {
    const d = freshDb();
    const { store, a } = await twoKeyStore();
    await saveTrustStore(d, revokeTrustedKey(store, a.keyid, '2026-11-10T00:00:00Z', 'laptop stolen'), '2026-11-01T00:00:00Z');
    // The file exported before the revocation, imported again.
    await saveTrustStore(d, await parseTrustStore(serializeTrustStore(store), 'old.json'), '2026-11-22T00:00:00Z');
    expect((await loadTrustStore(d)).keys.find((k) => k.keyid === a.keyid)).toMatchObject({
      revoked_at: '2026-11-10T00:00:00Z',
      revocation_reason: 'laptop stolen',
    });
    // A file revoking it later does not move the revocation later either.
    await saveTrustStore(d, revokeTrustedKey(store, a.keyid, '2027-01-01T00:00:00Z', 'later'), '2026-11-23T00:00:00Z');
    expect((await loadTrustStore(d)).keys.find((k) => k.keyid === a.keyid)!.revoked_at).toBe('2026-11-10T00:00:00Z');
  });

  it('the app follows the CLI rules: adding a key present is refused, --replace keeps the revocation', async () => {
    const { store, a } = await twoKeyStore();
    const revoked = revokeTrustedKey(store, a.keyid, '2026-11-10T00:00:00Z', 'laptop stolen');
    expect(() => addTrustedKey(revoked, a, { principal: 'Mallory' })).toThrowError(/already in the trust store.*REVOKED 2026-11-10/);
    const replaced = addTrustedKey(revoked, a, { principal: 'Alice B.', replace: true });
    expect(replaced.keys.find((k) => k.keyid === a.keyid)).toMatchObject({
      principal: 'Alice B.',
      roles: [],
      revoked_at: '2026-11-10T00:00:00Z',
    });
    expect(() =>
      addTrustedKey(emptyTrustStore(), a, { principal: 'A', validFrom: '2027-01-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' }),
    ).toThrowError(/ends .* before it starts/);
    const twice = revokeTrustedKey(revoked, a.keyid, '2027-01-01T00:00:00Z', 'again');
    expect(twice.keys.find((k) => k.keyid === a.keyid)).toMatchObject({
      revoked_at: '2026-11-10T00:00:00Z',
      revocation_reason: 'laptop stolen',
    });
  });

  it('replaces the store on import: a key absent from the imported file is gone', async () => {
    const d = freshDb();
    const { store, b } = await twoKeyStore();
    await saveTrustStore(d, store, '2026-11-01T00:00:00Z');
    await saveTrustStore(d, { keys: store.keys.filter((k) => k.keyid === b.keyid) }, '2026-11-02T00:00:00Z');
    expect((await loadTrustStore(d)).keys.map((k) => k.principal)).toEqual(['Bob']);
  });

  it('orders keys by when they were added, then by keyid', () => {
    const row = (keyid: string, addedAt: string): TrustKeyRow => ({
      keyid,
      public_key: 'x',
      principal: keyid,
      roles: [],
      valid_from: null,
      valid_until: null,
      revoked_at: null,
      revocation_reason: null,
      addedAt,
    });
    const store = rowsToTrustStore([row('c', '2026-01-02'), row('b', '2026-01-01'), row('a', '2026-01-02')]);
    expect(store.keys.map((k) => k.keyid)).toEqual(['b', 'a', 'c']);
  });
});

describe('recent bundles', () => {
  it('keys by file SHA-256 (reopening updates the row) and keeps the 20 most recent', async () => {
    const d = freshDb();
    for (let i = 0; i < 25; i++) {
      await rememberRecent(d, {
        fileSha256: `sha${i}`,
        title: `T${i}`,
        bundleId: `b${i}`,
        status: 'verified',
        openedAt: `2026-11-22T10:${String(i).padStart(2, '0')}:00Z`,
        fileName: `f${i}.evb`,
      });
    }
    await rememberRecent(d, {
      fileSha256: 'sha10',
      title: 'T10 again',
      bundleId: 'b10',
      status: 'tampered',
      openedAt: '2026-11-22T11:00:00Z',
      fileName: 'f10.evb',
    });
    const recent = await listRecent(d);
    expect(recent).toHaveLength(20);
    expect(recent[0]).toMatchObject({ fileSha256: 'sha10', status: 'tampered', title: 'T10 again' });
    expect(recent.some((r) => r.fileSha256 === 'sha4')).toBe(false);
    expect(recent.at(-1)!.fileSha256).toBe('sha5');
    expect(recent.filter((r) => r.fileSha256 === 'sha10')).toHaveLength(1);
  });

  it('a reopen token (Electron) stays with the row when the same file is opened again without one', async () => {
    const d = freshDb();
    const row = { fileSha256: 'sha1', title: 'T', bundleId: 'b', status: 'verified' as const, fileName: 'f.evb' };
    await rememberRecent(d, { ...row, openedAt: '2026-12-02T08:00:00Z', reopenToken: 'tok1' });
    await rememberRecent(d, { ...row, openedAt: '2026-12-02T08:05:00Z', reopenToken: null });
    expect(await listRecent(d)).toMatchObject([{ openedAt: '2026-12-02T08:05:00Z', reopenToken: 'tok1' }]);
    await rememberRecent(d, { ...row, openedAt: '2026-12-02T08:10:00Z', reopenToken: 'tok2' });
    expect((await listRecent(d))[0]!.reopenToken).toBe('tok2');
  });
});

describe('notes on replay steps', () => {
  const base = { bundleId: 'b-1', runAgentId: 'ra-c', updatedAt: '2026-11-22T10:00:00Z' };
  it('keeps one note per bundle file, run agent and sequence number; an empty text removes it', async () => {
    const d = freshDb();
    await saveNote(d, { ...base, bundleSha256: 'aa', sequenceNumber: 7, text: 'first' });
    await saveNote(d, { ...base, bundleSha256: 'aa', sequenceNumber: 7, text: 'edited' });
    await saveNote(d, { ...base, bundleSha256: 'aa', sequenceNumber: 3, text: 'earlier step' });
    await saveNote(d, { ...base, bundleSha256: 'bb', sequenceNumber: 7, text: 'same id, other file' });
    expect((await listNotes(d, 'aa')).map((n) => [n.sequenceNumber, n.text])).toEqual([
      [3, 'earlier step'],
      [7, 'edited'],
    ]);
    expect((await getNote(d, 'bb', 'ra-c', 7))!.text).toBe('same id, other file');
    await saveNote(d, { ...base, bundleSha256: 'aa', sequenceNumber: 7, text: '  ' });
    expect((await listNotes(d, 'aa')).map((n) => n.sequenceNumber)).toEqual([3]);
    expect(await d.notes.count()).toBe(2);
  });
});
