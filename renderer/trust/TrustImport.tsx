// Importing a trust file: what it will add, change, revoke (and, if the user chooses to
// replace the store, remove) is shown first; merging is the default; revocations already in
// the store are kept either way (shared/evb/trust-import.ts).
import { useMemo, useState } from 'react';
import type { TrustStore } from '../../shared/evb/crypto-types';
import type { ImportItem, ImportMode } from '../../shared/evb/trust-import';
import { planIsEmpty, planTrustImport } from '../../shared/evb/trust-import';
import { keyidToHex } from './Fingerprint';
import { formatFingerprint } from '../../shared/evb/keys';

function itemName(i: ImportItem): string {
  if (i.kind === 'identity') return `identity ${i.id}`;
  const hex = keyidToHex(i.id);
  return `key ${hex ? formatFingerprint(hex).slice(0, 19) + '…' : i.id}`;
}

function PlanList({ title, items, testId }: { title: string; items: ImportItem[]; testId: string }) {
  if (!items.length) return null;
  return (
    <div data-testid={testId}>
      <h4>
        {title} ({items.length})
      </h4>
      <ul className="small">
        {items.map((i) => (
          <li key={`${i.kind}:${i.id}`}>
            <strong>{i.principal}</strong> <span className="mono muted">{itemName(i)}</span> — {i.detail}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function TrustImport(props: {
  current: TrustStore;
  incoming: TrustStore;
  fileName: string;
  onApply: (next: TrustStore, note: string) => void;
  onCancel: () => void;
}) {
  const { current, incoming } = props;
  const [mode, setMode] = useState<ImportMode>('merge');
  const plan = useMemo(() => planTrustImport(current, incoming, mode), [current, incoming, mode]);
  const counts = `${plan.add.length} added, ${plan.change.length} changed, ${plan.revoke.length} revoked${mode === 'replace' ? `, ${plan.remove.length} removed` : ''}`;
  return (
    <section className="trust-import" aria-labelledby="trust-import-h" data-testid="trust-import">
      <h3 id="trust-import-h">Import {props.fileName}</h3>
      <div role="radiogroup" aria-label="How to import" className="seg">
        <button type="button" role="radio" aria-checked={mode === 'merge'} onClick={() => setMode('merge')}>
          Merge into the store
        </button>
        <button
          type="button"
          role="radio"
          aria-checked={mode === 'replace'}
          onClick={() => setMode('replace')}
          data-testid="import-replace"
        >
          Replace the store
        </button>
      </div>
      <p className="small" data-testid="import-summary">
        {planIsEmpty(plan) ? 'This file changes nothing in your trust store.' : counts}
        {plan.rootsAdded ? ` · ${plan.rootsAdded} trusted root${plan.rootsAdded === 1 ? '' : 's'} added` : ''}
      </p>
      <PlanList title="Added" items={plan.add} testId="import-add" />
      <PlanList title="Changed" items={plan.change} testId="import-change" />
      <PlanList title="Revoked" items={plan.revoke} testId="import-revoke" />
      <PlanList title="Removed (not in the file)" items={plan.remove} testId="import-remove" />
      <PlanList title="Revocations kept (an import never undoes one)" items={plan.keptRevocations} testId="import-kept" />
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={planIsEmpty(plan)}
          onClick={() =>
            props.onApply(plan.result, `Imported ${props.fileName} (${mode === 'merge' ? 'merged' : 'replaced the store'}): ${counts}.`)
          }
        >
          {mode === 'merge' ? 'Merge' : 'Replace'}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
