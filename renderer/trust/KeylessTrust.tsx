// The keyless part of the trust store: identity entries (an OIDC issuer and a certificate
// subject, exact or a full-match pattern, with a principal and roles) and the Sigstore
// trusted roots their certificates chain to. Listed, revoked, removed, added; the rules are
// shared/evb/identity-trust.ts.
import { useState } from 'react';
import type { TrustStore } from '../../shared/evb/crypto-types';
import type { IdentityEntry } from '../../shared/evb/identity-trust';
import { addIdentity } from '../../shared/evb/identity-trust';
import { Pill } from '../components/common';
import { ConfirmRemove } from './ConfirmRemove';
import { RevokeForm } from './RevokeForm';

type Change = (next: TrustStore, note: string) => Promise<void>;
const sameEntry = (a: IdentityEntry, b: IdentityEntry) =>
  a.issuer === b.issuer && a.subject === b.subject && a.subject_pattern === b.subject_pattern;

/** A trusted root's one-line summary: its certificate authorities and transparency logs. */
function rootSummary(root: unknown): string {
  const r = (root ?? {}) as { mediaType?: unknown; certificateAuthorities?: unknown; tlogs?: unknown };
  const cas = Array.isArray(r.certificateAuthorities) ? r.certificateAuthorities : [];
  const names = cas
    .map((c) => (c as { subject?: { organization?: unknown; commonName?: unknown } }).subject)
    .map((s) => [s?.organization, s?.commonName].filter((x) => typeof x === 'string').join(' / '))
    .filter(Boolean);
  const logs = Array.isArray(r.tlogs) ? r.tlogs.length : 0;
  return `${names.length ? [...new Set(names)].join(', ') : 'no named certificate authority'} · ${cas.length} CA, ${logs} log${logs === 1 ? '' : 's'}`;
}

function IdentityItem({ entry, store, onChange }: { entry: IdentityEntry; store: TrustStore; onChange: Change }) {
  const [revoking, setRevoking] = useState(false);
  const entries = store.identities ?? [];
  const subject = entry.subject ?? `matching ${entry.subject_pattern}`;
  return (
    <li className={entry.revoked_at ? 'revoked' : undefined}>
      <div>
        <strong>{entry.principal}</strong> {entry.revoked_at ? <Pill kind="fail">revoked</Pill> : <Pill kind="pass">trusted</Pill>}{' '}
        <span className="muted small">
          roles: {entry.roles.length ? entry.roles.join(', ') : 'any'} · valid {entry.valid_from ?? 'from any time'} –{' '}
          {entry.valid_until ?? 'no end'}
        </span>
      </div>
      <div className="small mono">
        {entry.issuer} · {subject}
      </div>
      {entry.revoked_at ? (
        <p className="small">
          Revoked as of {entry.revoked_at}: {entry.revocation_reason ?? 'no reason given'}
        </p>
      ) : null}
      <div className="row-actions">
        {!entry.revoked_at && !revoking ? (
          <button type="button" onClick={() => setRevoking(true)}>
            Revoke…
          </button>
        ) : null}
        <ConfirmRemove
          what={`the identity ${entry.principal}`}
          revoked={entry.revoked_at !== null}
          onRemove={() =>
            void onChange({ ...store, identities: entries.filter((e) => !sameEntry(e, entry)) }, `Removed the identity ${entry.principal}.`)
          }
        />
      </div>
      {revoking ? (
        <RevokeForm
          what={entry.principal}
          onCancel={() => setRevoking(false)}
          onRevoke={(at, reason) =>
            void onChange(
              { ...store, identities: entries.map((e) => (sameEntry(e, entry) ? { ...e, revoked_at: at, revocation_reason: reason } : e)) },
              `Revoked the identity ${entry.principal} as of ${at}.`,
            ).then(() => setRevoking(false))
          }
        />
      ) : null}
    </li>
  );
}

function AddIdentity({ store, onChange }: { store: TrustStore; onChange: Change }) {
  const [f, setF] = useState({ issuer: '', subject: '', pattern: false, principal: '', roles: '' });
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof f) => (e: { target: { value: string; checked?: boolean } }) =>
    setF({ ...f, [k]: k === 'pattern' ? Boolean(e.target.checked) : e.target.value });
  return (
    <details className="add-key">
      <summary>Add an identity</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          try {
            const entry: IdentityEntry = {
              issuer: f.issuer.trim(),
              subject: f.pattern ? null : f.subject.trim(),
              subject_pattern: f.pattern ? f.subject.trim() : null,
              principal: f.principal.trim(),
              roles: f.roles
                .split(',')
                .map((r) => r.trim())
                .filter(Boolean),
              valid_from: null,
              valid_until: null,
              revoked_at: null,
              revocation_reason: null,
            };
            const identities = addIdentity(store.identities ?? [], entry);
            setError(null);
            void onChange({ ...store, identities }, `Trusted the identity ${entry.principal}.`);
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      >
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <label>
          OIDC issuer (https URL)
          <input value={f.issuer} onChange={set('issuer')} required />
        </label>
        <label>
          Certificate subject (SAN: a URI or an email)
          <input value={f.subject} onChange={set('subject')} required />
        </label>
        <label className="check">
          <input type="checkbox" checked={f.pattern} onChange={set('pattern')} /> the subject is a pattern (a full-match regular expression)
        </label>
        <label>
          Identity principal (who you verified it to be)
          <input value={f.principal} onChange={set('principal')} required />
        </label>
        <label>
          Identity roles (comma-separated; empty = any)
          <input value={f.roles} onChange={set('roles')} />
        </label>
        <button type="submit" className="primary">
          Add identity
        </button>
      </form>
    </details>
  );
}

export function KeylessTrust({ store, onChange }: { store: TrustStore; onChange: Change }) {
  const identities = store.identities ?? [];
  const roots = store.trusted_roots ?? [];
  return (
    <section aria-labelledby="keyless-h" data-testid="keyless-trust">
      <h3 id="keyless-h">Keyless signers (Sigstore)</h3>
      {identities.length === 0 ? (
        <p className="muted small">No identities: keyless signatures show as untrusted until you trust their identity.</p>
      ) : (
        <ul className="trust-keys" aria-label="Trusted identities">
          {identities.map((e) => (
            <IdentityItem key={`${e.issuer} ${e.subject ?? e.subject_pattern}`} entry={e} store={store} onChange={onChange} />
          ))}
        </ul>
      )}
      <AddIdentity store={store} onChange={onChange} />
      <h4>Trusted roots ({roots.length})</h4>
      {roots.length === 0 ? (
        <p className="muted small">None: import a trust file with a trusted_roots section to verify keyless signatures.</p>
      ) : (
        <ul className="small" aria-label="Trusted roots">
          {roots.map((r, i) => (
            <li key={i}>
              {rootSummary(r)}{' '}
              <ConfirmRemove
                what="this trusted root"
                revoked={false}
                onRemove={() => void onChange({ ...store, trusted_roots: roots.filter((_, j) => j !== i) }, 'Removed a trusted root.')}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
