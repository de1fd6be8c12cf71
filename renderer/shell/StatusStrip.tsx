// The status strip (issue 18 point 1): one compact line that never scrolls away, on every tab
// and at every scroll position: the status with what it means, the bundle id, and one click to
// the signature panel. It sits outside the scrolling area of the window (see .app in
// styles.css), so no pane can scroll it out of view.
import type { BundleHandle } from '../../shared/ipc/host-api';
import type { Phase } from '../useBundleSession';
import { StatusBadge } from '../components/StatusBadge';
import { statusHeadline } from '../../shared/evb/status';
import { formatBytes } from '../format';

export function StatusStrip(props: {
  phase: Phase;
  signaturesOpen: boolean;
  onSignatures: () => void;
  onVerifyAgain: (h: BundleHandle) => void;
  onClose: () => void;
}) {
  const { phase } = props;
  if (phase.kind !== 'verifying' && phase.kind !== 'open') return null;
  const report = phase.kind === 'open' ? phase.report : null;
  return (
    <section className="status-strip" aria-label="Bundle status" data-testid="status-strip">
      <StatusBadge
        status={report ? report.status : 'verifying'}
        detail={report?.summary}
        headline={report ? statusHeadline(report) : undefined}
      />
      {report && phase.kind === 'open' ? (
        <div className="bundle-meta">
          <span className="bundle-id mono" title={`${phase.handle.name} · ${formatBytes(phase.handle.size)}`} data-testid="strip-bundle-id">
            {report.bundleId ?? phase.handle.name}
          </span>
          <button
            type="button"
            className="primary-outline"
            onClick={props.onSignatures}
            aria-expanded={props.signaturesOpen}
            aria-controls="signature-panel"
            data-testid="open-signatures"
          >
            {report.signatures.length === 0 ? 'Signatures: none' : `Signatures (${report.signatures.length})`}
          </button>
          <button type="button" onClick={() => props.onVerifyAgain(phase.handle)}>
            Verify again
          </button>
          <button type="button" onClick={props.onClose}>
            Close
          </button>
        </div>
      ) : null}
    </section>
  );
}
