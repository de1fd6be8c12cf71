// Removing an entry from the trust store, asked twice: a removed key is simply unknown
// again (bundles it signed show as untrusted-signer), and a removed revocation is forgotten.
import { useState } from 'react';

export function ConfirmRemove({ what, revoked, onRemove }: { what: string; revoked: boolean; onRemove: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)}>
        Remove…
      </button>
    );
  return (
    <span className="inline-form" role="group" aria-label={`Remove ${what}`}>
      <span className="small">
        Remove {what}?{' '}
        {revoked ? 'Its revocation is forgotten with it: importing it again would trust it.' : 'Bundles it signed will show as untrusted.'}
      </span>
      <button type="button" className="danger" onClick={onRemove}>
        Remove
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
