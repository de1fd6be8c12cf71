// Revoking a key or an identity: as of a date the user chooses (today unless changed) and a
// reason. A revocation dates from the start of that day (UTC), so signatures made that day are
// no longer trusted.
import { useState } from 'react';
import { IsoDateInput, isoDayValid } from '../components/IsoDateInput';

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The revocation time for a chosen day: its first second, UTC; null when not a date. */
export function revocationTime(day: string): string | null {
  return isoDayValid(day) ? `${day}T00:00:00Z` : null;
}

export function RevokeForm({
  what,
  onRevoke,
  onCancel,
}: {
  what: string;
  onRevoke: (at: string, reason: string) => void;
  onCancel: () => void;
}) {
  const [day, setDay] = useState(todayIso);
  const [reason, setReason] = useState('');
  const at = revocationTime(day);
  return (
    <form
      className="inline-form"
      aria-label={`Revoke ${what}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (at && reason.trim()) onRevoke(at, reason.trim());
      }}
    >
      <label>
        Revoked as of (UTC day, YYYY-MM-DD)
        <IsoDateInput value={day} onChange={(e) => setDay(e.target.value)} required data-testid="revoke-date" />
      </label>
      <label>
        Reason
        <input value={reason} onChange={(e) => setReason(e.target.value)} required data-testid="revoke-reason" />
      </label>
      <button type="submit" className="danger" disabled={!at || !reason.trim()}>
        Revoke
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
