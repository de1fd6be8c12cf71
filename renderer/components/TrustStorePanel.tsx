// The app's trust store: import a key (PEM or OpenSSH line, pasted or from a file), revoke
// with a reason, export and import as the CLI's trust file. Changes follow the CLI's rules
// (shared/evb/trust-store.ts): a key present is refused, a revocation is permanent.
import { useState } from 'react';
import type { TrustStore } from '../../shared/evb/crypto-types';
import { parsePublicKey, formatFingerprint } from '../../shared/evb/keys';
import { parseTrustStore, serializeTrustStore } from '../../shared/evb/trust';
import { addTrustedKey, revokeTrustedKey } from '../../shared/evb/trust-store';
import type { HostApi } from '../../shared/ipc/host-api';
import { Missing, Pill } from './common';

function isoDay(d: string): string | null {
  return d ? `${d}T23:59:59Z` : null;
}

export function TrustStorePanel({
  store,
  onChange,
  host,
}: {
  store: TrustStore;
  onChange: (next: TrustStore, note: string) => Promise<void>;
  host: HostApi;
}) {
  const [keyText, setKeyText] = useState('');
  const [principal, setPrincipal] = useState('');
  const [roles, setRoles] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [reason, setReason] = useState('');

  const run = async (f: () => Promise<void>) => {
    setError(null);
    setMessage(null);
    try {
      await f();
    } catch (e) {
      setError((e as Error).message);
    }
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
      {message ? (
        <p className="ok-text" role="status">
          {message}
        </p>
      ) : null}
      {store.keys.length === 0 ? (
        <p>
          <Missing what="No trusted keys yet: bundles will show as untrusted-signer until you trust their signers." />
        </p>
      ) : (
        <ul className="trust-keys">
          {store.keys.map((k) => (
            <li key={k.keyid} className={k.revoked_at ? 'revoked' : undefined}>
              <div>
                <strong>{k.principal}</strong> {k.revoked_at ? <Pill kind="fail">revoked</Pill> : <Pill kind="pass">trusted</Pill>}{' '}
                <span className="muted small">
                  roles: {k.roles.length ? k.roles.join(', ') : 'any'} · valid {k.valid_from ?? 'from any time'} –{' '}
                  {k.valid_until ?? 'no end'}
                </span>
              </div>
              <code className="digest small">{k.keyid}</code>
              {k.revoked_at ? (
                <p className="small">
                  Revoked {k.revoked_at}: {k.revocation_reason ?? 'no reason given'}
                </p>
              ) : null}
              {!k.revoked_at && revoking !== k.keyid ? (
                <button
                  type="button"
                  onClick={() => {
                    setRevoking(k.keyid);
                    setReason('');
                  }}
                >
                  Revoke…
                </button>
              ) : null}
              {revoking === k.keyid ? (
                <form
                  className="inline-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void run(async () => {
                      await onChange(
                        revokeTrustedKey(store, k.keyid, new Date().toISOString().replace(/\.\d+Z$/, 'Z'), reason.trim()),
                        `Revoked ${k.principal}.`,
                      );
                      setRevoking(null);
                    });
                  }}
                >
                  <label>
                    Reason
                    <input value={reason} onChange={(e) => setReason(e.target.value)} required />
                  </label>
                  <button type="submit" className="danger" disabled={!reason.trim()}>
                    Revoke
                  </button>
                  <button type="button" onClick={() => setRevoking(null)}>
                    Cancel
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <details className="add-key">
        <summary>Add a key</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const key = await parsePublicKey(keyText.trim());
              await onChange(
                addTrustedKey(store, key, {
                  principal: principal.trim(),
                  roles: roles
                    .split(',')
                    .map((r) => r.trim())
                    .filter(Boolean),
                  validUntil: isoDay(validUntil),
                }),
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
            Valid until (optional)
            <input type="date" value={validUntil} onChange={(e) => setValidUntil(e.target.value)} />
          </label>
          <button type="submit" className="primary">
            Add key
          </button>
        </form>
      </details>
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              await host.saveFile('exhibit-trust.json', new TextEncoder().encode(serializeTrustStore(store)), 'application/json');
            })
          }
        >
          Export trust file
        </button>
        <label className="button-like">
          Import trust file
          <input
            type="file"
            accept=".json,application/json"
            className="sr-only"
            data-purpose="trust-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (!f) return;
              void run(async () => {
                const parsed = await parseTrustStore(await f.text(), f.name);
                await onChange(
                  parsed,
                  `Imported ${parsed.keys.length} key${parsed.keys.length === 1 ? '' : 's'} from ${f.name}; they replace the previous store.`,
                );
              });
            }}
          />
        </label>
      </div>
    </section>
  );
}
