// A key's fingerprint, in one form everywhere in the app: the SHA-256 of its SPKI in hex,
// grouped by four; the trust file's base64 keyid (the same digest) on demand.
import { useState } from 'react';
import { base64Decode } from '../../shared/evb/encoding';
import { formatFingerprint } from '../../shared/evb/keys';
import { hexEncode } from '../../shared/platform/hex';

/** The hex fingerprint of a base64 keyid (SHA-256 of the SPKI), or null when it is not one. */
export function keyidToHex(keyid: string): string | null {
  try {
    const bytes = base64Decode(keyid);
    return bytes.length === 32 ? hexEncode(bytes) : null;
  } catch {
    return null;
  }
}

export function Fingerprint({ keyid }: { keyid: string }) {
  const [asKeyid, setAsKeyid] = useState(false);
  const hex = keyidToHex(keyid);
  const shown = asKeyid || hex === null ? keyid : formatFingerprint(hex);
  return (
    <span className="fingerprint">
      <code className="digest small" data-testid="fingerprint">
        {shown}
      </code>{' '}
      {hex !== null ? (
        <button type="button" className="linkish small" aria-pressed={asKeyid} onClick={() => setAsKeyid((v) => !v)}>
          {asKeyid ? 'show as hex fingerprint' : 'show as base64 keyid'}
        </button>
      ) : null}
    </span>
  );
}
