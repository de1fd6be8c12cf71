// Strict base64, without node:* (atob/btoa exist in Node 20 and browsers).

/** Decodes standard or URL-safe base64, padded or not. Throws on anything else. */
export function base64Decode(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw new Error('not base64: unexpected character');
  if (/[+/]/.test(text) && /[-_]/.test(text)) throw new Error('not base64: mixes the standard and URL-safe alphabets');
  const unpadded = text.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) throw new Error('not base64: impossible length');
  if (text.includes('=') && text.length % 4 !== 0) throw new Error('not base64: wrong padding');
  const standard = unpadded.replace(/-/g, '+').replace(/_/g, '/');
  const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  // Refuse non-canonical encodings (stray bits in the last character).
  if (base64Encode(out).replace(/=+$/, '') !== standard) throw new Error('not base64: non-canonical final character');
  return out;
}

export function base64Encode(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}
