// RFC 6962 / RFC 9162 Merkle inclusion proofs and transparency-dev signed-note checkpoints.

import { base64Decode } from '../encoding';
import { sha256 } from './crypto';

/** The root an inclusion proof leads to from `leaf` at `index` in a tree of `size` leaves. */
export async function rootFromInclusionProof(
  leaf: Uint8Array,
  index: bigint,
  size: bigint,
  proof: Uint8Array[],
): Promise<Uint8Array | null> {
  if (index < 0n || index >= size) return null;
  const inner = (index ^ (size - 1n)).toString(2).replace(/^0+/, '').length;
  const border = (index >> BigInt(inner)).toString(2).split('1').length - 1;
  if (proof.length !== inner + border || proof.some((h) => h.length !== 32)) return null;
  let hash = await sha256(Uint8Array.of(0), leaf);
  for (let i = 0; i < inner; i++) {
    hash = (index >> BigInt(i)) & 1n ? await sha256(Uint8Array.of(1), proof[i]!, hash) : await sha256(Uint8Array.of(1), hash, proof[i]!);
  }
  for (let i = inner; i < proof.length; i++) hash = await sha256(Uint8Array.of(1), proof[i]!, hash);
  return hash;
}

export interface Checkpoint {
  origin: string;
  size: bigint;
  rootHash: Uint8Array;
  /** The signed note text (header and body, up to the blank line). */
  note: Uint8Array;
  signatures: Array<{ name: string; keyHint: Uint8Array; signature: Uint8Array }>;
}

/** Parses a signed checkpoint; null when it is not one (missing origin, size, root or signature). */
export function parseCheckpoint(envelope: string): Checkpoint | null {
  const split = envelope.indexOf('\n\n');
  if (split < 0) return null;
  const noteText = envelope.slice(0, split + 1);
  const lines = noteText.slice(0, -1).split('\n');
  if (lines.length < 3 || !lines[0] || !/^\d{1,19}$/.test(lines[1]!)) return null;
  let rootHash: Uint8Array;
  try {
    rootHash = base64Decode(lines[2]!);
  } catch {
    return null;
  }
  if (rootHash.length !== 32) return null;
  const signatures: Checkpoint['signatures'] = [];
  for (const line of envelope.slice(split + 2).split('\n')) {
    if (line === '') continue;
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) return null;
    let bytes: Uint8Array;
    try {
      bytes = base64Decode(m[2]!);
    } catch {
      return null;
    }
    if (bytes.length < 5) return null;
    signatures.push({ name: m[1]!, keyHint: bytes.subarray(0, 4), signature: bytes.subarray(4) });
  }
  if (signatures.length === 0) return null;
  return { origin: lines[0], size: BigInt(lines[1]!), rootHash, note: new TextEncoder().encode(noteText), signatures };
}
