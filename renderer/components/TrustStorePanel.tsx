// The app's trust store: keys (add from a PEM or OpenSSH line, revoke as of a chosen day with
// a reason, remove), keyless identities and trusted roots (renderer/trust/KeylessTrust), export
// as the CLI's trust file, and import one with a preview of what it adds, changes and revokes
// (merged unless the user chooses replace; a revocation is never undone). Fingerprints show in
// hex, as on the rest of the app; the base64 keyid on demand.
import { useState } from 'react';
import type { TrustEntry, TrustStore } from '../../shared/evb/crypto-types';
import { parsePublicKey, formatFingerprint } from '../../shared/evb/keys';
import { parseTrustStore, serializeTrustStore } from '../../shared/evb/trust';
import { addTrustedKey, removeTrustedKey, revokeKey } from '../../shared/evb/trust-store';
import type { HostApi } from '../../shared/ipc/host-api';
import { Missing, Pill } from './common';
import { ConfirmRemove } from '../trust/ConfirmRemove';
import { Fingerprint } from '../trust/Fingerprint';
import { KeylessTrust } from '../trust/KeylessTrust';
import { RevokeForm } from '../trust/RevokeForm';
import { TrustImport } from '../trust/TrustImport';
import { IsoDateInput, isoDayValid } from './IsoDateInput';

type Change = (next: TrustStore, note: string) => Promise<void>;

/** The end of a chosen UTC day; null when none is given. A day that does not exist is refused. */
function isoDay(d: string): string | null {
  if (!d.trim()) return null;
  if (!isoDayValid(d.trim())) throw new Error(`"${d}" is not a date: type it as YYYY-MM-DD.`);
  return `${d.trim()}T23:59:59Z`;
}

function KeyItem({
  k,
  store,
  onChange,
  run,
}: {
  k: TrustEntry;
  store: TrustStore;
  onChange: Change;
  run: (f: () => Promise<void>) => void;
}) {
  const [revoking, setRevoking] = useState(false);
  return (
    <li className={k.revoked_at ? 'revoked' : undefined} data-testid="trust-key">
      <div>
        <strong>{k.principal}</strong> {k.revoked_at ? <Pill kind="fail">revoked</Pill> : <Pill kind="pass">trusted</Pill>}{' '}
        <span className="muted small">
          roles: {k.roles.length ? k.roles.join(', ') : 'any'} · valid {k.valid_from ?? 'from any time'} – {k.valid_until ?? 'no end'}
        </span>
      </div>
      <Fingerprint keyid={k.keyid} />
      {k.revoked_at ? (
        <p className="small">
          Revoked as of {k.revoked_at}: {k.revocation_reason ?? 'no reason given'}
        </p>
      ) : null}
      <div className="row-actions">
        {!k.revoked_at && !revoking ? (
          <button type="button" onClick={() => setRevoking(true)}>
            Revoke…
          </button>
        ) : null}
        <ConfirmRemove
          what={`the key of ${k.principal}`}
          revoked={k.revoked_at !== null}
          onRemove={() => run(() => onChange(removeTrustedKey(store, k.keyid), `Removed the key of ${k.principal}.`))}
        />
      </div>
      {revoking ? (
        <RevokeForm
          what={k.principal}
          onCancel={() => setRevoking(false)}
          onRevoke={(at, reason) =>
            run(async () => {
              const { store: next, note } = revokeKey(store, k.keyid, at, reason);
              await onChange(next, `${k.principal}: ${note}.`);
              setRevoking(false);
            })
          }
        />
      ) : null}
    </li>
  );
}

function AddKey({ store, onChange, run }: { store: TrustStore; onChange: Change; run: (f: () => Promise<void>) => void }) {
  const [keyText, setKeyText] = useState('');
  const [principal, setPrincipal] = useState('');
  const [roles, setRoles] = useState('');
  const [validUntil, setValidUntil] = useState('');
  return (
    <details className="add-key">
      <summary>Add a key</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run(async () => {
            const key = await parsePublicKey(keyText.trim());
            const list = roles
              .split(',')
              .map((r) => r.trim())
              .filter(Boolean);
            await onChange(
              addTrustedKey(store, key, { principal: principal.trim(), roles: list, validUntil: isoDay(validUntil) }),
              `Trusted ${principal.trim()} (${formatFingerprint(key.fingerprint).slice(0, 19)}…).`,
            );
            setKeyText('');
            setPrincipal('');
            setRoles('');
            setValidUntil('');
          });
        }}
      >
        <label>
          Public key (SPKI PEM, or an OpenSSH ssh-ed25519 / ecdsa-sha2-nistp256 line)
          <textarea value={keyText} onChange={(e) => setKeyText(e.target.value)} rows={4} required spellCheck={false} />
        </label>
        <label>
          …or from a file
          <input
            type="file"
            accept=".pem,.pub,.txt"
            data-purpose="key-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void f.text().then(setKeyText);
            }}
          />
        </label>
        <label>
          Principal
          <input value={principal} onChange={(e) => setPrincipal(e.target.value)} required />
        </label>
        <label>
          Roles (comma-separated; empty = any)
          <input value={roles} onChange={(e) => setRoles(e.target.value)} />
        </label>
        <label>
          Valid until (optional, YYYY-MM-DD)
          <IsoDateInput value={validUntil} onChange={(e) => setValidUntil(e.target.value)} data-testid="add-key-valid-until" />
        </label>
        <button type="submit" className="primary">
          Add key
        </button>
      </form>
    </details>
  );
}

/** Over 80 lines with its JSX (messages, keys, keyless part, import preview, export); each part is its own component. */
export function TrustStorePanel({ store, onChange, host }: { store: TrustStore; onChange: Change; host: HostApi }) {
  const [error, setError] = useState<string | null>(null);
  const [importing, setImporting] = useState<{ incoming: TrustStore; fileName: string } | null>(null);
  const run = (f: () => Promise<void>) => {
    setError(null);
    void f().catch((e: Error) => setError(e.message));
  };
  return (
    <section className="card trust-panel" aria-labelledby="trust-h">
      <h2 id="trust-h">Trust store</h2>
      <p className="muted small">
        Keys you trust to sign evidence bundles. Every verification uses the store as it is now. {store.keys.length} key
        {store.keys.length === 1 ? '' : 's'}.
      </p>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {store.keys.length === 0 ? (
        <p>
          <Missing what="No trusted keys yet: bundles will show as untrusted-signer until you trust their signers." />
        </p>
      ) : (
        <ul className="trust-keys" aria-label="Trusted keys">
          {store.keys.map((k) => (
            <KeyItem key={k.keyid} k={k} store={store} onChange={onChange} run={run} />
          ))}
        </ul>
      )}
      <AddKey store={store} onChange={onChange} run={run} />
      <KeylessTrust store={store} onChange={(next, note) => new Promise((resolve) => run(() => onChange(next, note).then(resolve)))} />
      {importing ? (
        <TrustImport
          current={store}
          incoming={importing.incoming}
          fileName={importing.fileName}
          onCancel={() => setImporting(null)}
          onApply={(next, note) => run(() => onChange(next, note).then(() => setImporting(null)))}
        />
      ) : null}
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            run(async () => {
              await host.saveFile('exhibit-trust.json', new TextEncoder().encode(serializeTrustStore(store)), 'application/json');
            })
          }
        >
          Export trust file
        </button>
        <label className="button-like">
          Import trust file…
          <input
            type="file"
            accept=".json,application/json"
            className="sr-only"
            data-purpose="trust-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (!f) return;
              run(async () => setImporting({ incoming: await parseTrustStore(await f.text(), f.name), fileName: f.name }));
            }}
          />
        </label>
      </div>
    </section>
  );
}
