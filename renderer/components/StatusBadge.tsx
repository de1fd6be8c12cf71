import type { BundleStatus } from '../../shared/evb/report';
import { STATUS_TABLE } from '../../shared/evb/status';

/** What the badge shows: a bundle's status, or that it is still being checked. */
type ShownStatus = BundleStatus | 'verifying';

/** Not a status of a bundle (so not in the status table): the badge while verification runs. */
const VERIFYING = { label: 'Verifying…', headline: 'Checking every file digest and signature…', tone: 'info' } as const;

const ICON: Record<ShownStatus, string> = {
  verified: '✓',
  'untrusted-signer': '?',
  unsigned: '!',
  'key-expired': '!',
  'key-revoked': '✕',
  tampered: '✕',
  malformed: '✕',
  verifying: '…',
};

function shown(status: ShownStatus) {
  return status === 'verifying' ? VERIFYING : STATUS_TABLE[status];
}

/**
 * The status of the open bundle: always visible, with what it means and what to do.
 * `headline` overrides the status's own where the report says more (statusHeadline: a
 * trusted signer in a role it may not sign).
 */
export function StatusBadge(props: { status: ShownStatus; detail?: string; headline?: string }) {
  const { status, detail } = props;
  const { label, tone } = shown(status);
  const headline = props.headline ?? shown(status).headline;
  // The report's summary often repeats the headline; show only what it adds.
  const extra = detail ? detail.replace(headline, '').replace(/\s+$/, '') : '';
  return (
    <div
      className={`status-badge status-${status} tone-${tone}`}
      data-testid="bundle-status"
      data-status={status}
      role="status"
      aria-live="polite"
    >
      <span className="status-icon" aria-hidden="true">
        {ICON[status]}
      </span>
      <span className="status-text" title={extra || undefined}>
        <strong className="status-word">{label}</strong>
        <span className="status-explanation">{headline}</span>
        {extra ? <span className="status-detail">{extra}</span> : null}
      </span>
    </div>
  );
}

/** The label beside content shown from a bundle that is not verified. */
export function ContentLabel({ status }: { status: BundleStatus }) {
  if (status === 'verified' || status === 'malformed') return null;
  const { label, tone } = STATUS_TABLE[status];
  // The status's explanation is in the strip above; here only the word, once per panel.
  return (
    <p className={`content-label status-${status} tone-${tone}`} role="note">
      Shown from a bundle whose status is <strong>{label}</strong> (not verified; see the status above).
    </p>
  );
}
