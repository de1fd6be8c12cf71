import type { BundleStatus } from '../../shared/evb/report';
import { STATUS_EXPLANATION } from '../../shared/evb/report';

export const STATUS_LABEL: Record<BundleStatus | 'verifying', string> = {
  verified: 'Verified',
  'untrusted-signer': 'Untrusted signer',
  unsigned: 'Unsigned',
  'key-expired': 'Key expired',
  'key-revoked': 'Key revoked',
  tampered: 'Tampered',
  malformed: 'Malformed',
  verifying: 'Verifying…',
};

const ICON: Record<BundleStatus | 'verifying', string> = {
  verified: '✓',
  'untrusted-signer': '?',
  unsigned: '!',
  'key-expired': '!',
  'key-revoked': '✕',
  tampered: '✕',
  malformed: '✕',
  verifying: '…',
};

/** The status of the open bundle: always visible, with what it means and what to do. */
export function StatusBadge({ status, detail }: { status: BundleStatus | 'verifying'; detail?: string }) {
  const explanation = status === 'verifying' ? 'Checking every file digest and signature…' : STATUS_EXPLANATION[status];
  // The report's summary often repeats the explanation; show only what it adds.
  const extra = detail ? detail.replace(explanation, '').replace(/\s+$/, '') : '';
  return (
    <div className={`status-badge status-${status}`} data-testid="bundle-status" data-status={status} role="status" aria-live="polite">
      <span className="status-icon" aria-hidden="true">
        {ICON[status]}
      </span>
      <span className="status-text">
        <strong className="status-word">{STATUS_LABEL[status]}</strong>
        <span className="status-explanation">{explanation}</span>
        {extra ? <span className="status-detail">{extra}</span> : null}
      </span>
    </div>
  );
}

/** The label beside content shown from a bundle that is not verified. */
export function ContentLabel({ status }: { status: BundleStatus }) {
  if (status === 'verified' || status === 'malformed') return null;
  return (
    <p className={`content-label status-${status}`} role="note">
      Shown from a bundle whose status is <strong>{STATUS_LABEL[status]}</strong>: {STATUS_EXPLANATION[status]}
    </p>
  );
}
