// The core's one door to WebCrypto (globalThis.crypto.subtle, the same API in Node 20 and
// browsers): signature keys and one-shot digests go through here, so no module above the
// platform reaches for a host global.

import { hexEncode } from './hex';

export const subtle: SubtleCrypto = crypto.subtle;

/** Lowercase hex digest of `bytes` in one call (for buffers already whole in memory). */
export async function digestHex(algorithm: 'SHA-256' | 'SHA-512', bytes: Uint8Array): Promise<string> {
  return hexEncode(new Uint8Array(await subtle.digest(algorithm, bytes as Uint8Array<ArrayBuffer>)));
}

/** The raw digest bytes. */
export async function digestBytes(algorithm: 'SHA-256' | 'SHA-512', bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle.digest(algorithm, bytes as Uint8Array<ArrayBuffer>));
}
