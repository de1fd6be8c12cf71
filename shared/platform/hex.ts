// The one hex encoder (lowercase, two digits a byte) for digests and key fingerprints.

const DIGITS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function hexEncode(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += DIGITS[b]!;
  return out;
}
