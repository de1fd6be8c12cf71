// Property: flipping any single byte of a verified bundle, in any entry or in the zip
// structure, never yields `verified`.
//
// Every byte position of a real signed bundle is flipped (exhaustively, with two masks), and
// fast-check adds random positions with random masks. Two kinds of bit no reader can
// observe exist in any zip: eight bytes per central-directory record of ZIP metadata that
// exists only there and that the spec says is signed by nothing and never shown ("version
// made by", internal and external file attributes); in both headers, what spec 1 (2026-12)
// lets them differ in because no reader draws meaning from it (time and date, the host byte
// of "version needed", and flag bits 1 and 2, deflate options); and the padding bits after the last
// deflate block in the final byte of each deflated entry (the inflated bytes are identical).
// For those positions alone the property checked is the one that matters to a reviewer:
// either the bundle is no longer verified, or every file digest, signature and finding it
// reports is exactly the original's. Every other byte must never yield `verified`.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureBag, signer, testKeys, trustFor, verifyBytes, zipFixture } from '../helpers/bundles';
import type { TrustStore } from '../../shared/evb/crypto-types';
import type { VerificationReport } from '../../shared/evb/report';
import { openZip } from '../../shared/evb/zip';
import { bytesSource } from '../../shared/platform/ports';

let bundle: Uint8Array;
let trust: TrustStore;
let original: VerificationReport;
let metadataOnly: Set<number>;
/** Low flag bytes: a flip of bits 1 and 2 alone (deflate options) changes no reading. */
const flagBytes = new Set<number>();

/**
 * Byte offsets of the CD-only metadata fields (made-by, internal and external attributes),
 * and of the fields both headers hold that carry no meaning (time, date, the host byte of
 * version needed); `flagBytes` gets the low flag byte of each header (bits 1 and 2 only).
 */
function centralMetadataOffsets(zip: Uint8Array, flagBytes: Set<number>): Set<number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const out = new Set<number>();
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    for (const [start, len] of [
      [4, 2],
      [7, 1],
      [12, 4],
      [36, 2],
      [38, 4],
    ] as const)
      for (let k = 0; k < len; k++) out.add(at + start + k);
    const local = view.getUint32(at + 42, true);
    for (const k of [5, 10, 11, 12, 13]) out.add(local + k);
    flagBytes.add(at + 8);
    flagBytes.add(local + 6);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

const evidence = (r: VerificationReport) =>
  JSON.stringify({
    files: r.files,
    signatures: r.signatures.map((s) => ({ ...s })),
    findings: r.findings,
    bundleId: r.bundleId,
    tag: r.tagmanifestSha256,
  });

async function checkFlip(position: number, mask: number): Promise<void> {
  const copy = bundle.slice();
  copy[position]! ^= mask;
  const { report } = await verifyBytes(copy, trust);
  if (metadataOnly.has(position) || (flagBytes.has(position) && (mask & ~0x06) === 0)) {
    if (report.status === 'verified') expect(evidence(report), `flip at ${position}`).toBe(evidence(original));
  } else {
    expect(report.status, `flip of byte ${position} with mask ${mask}`).not.toBe('verified');
  }
}

beforeAll(async () => {
  const [alice] = await testKeys();
  bundle = await zipFixture(await fixtureBag({ signers: [signer(alice, 'producer', { travelKey: true })] }));
  trust = trustFor([{ key: alice }]);
  original = (await verifyBytes(bundle, trust)).report;
  metadataOnly = centralMetadataOffsets(bundle, flagBytes);
  const archive = await openZip(bytesSource(bundle));
  for (const e of archive.entries) if (e.method === 8 && e.compressedSize > 0) metadataOnly.add(e.dataOffset + e.compressedSize - 1);
});

describe('single-byte flips never yield verified', () => {
  it('the unflipped bundle is verified (the property starts from a verified bundle)', () => {
    expect(original.status).toBe('verified');
    expect(bundle.length).toBeGreaterThan(1000);
  });

  it('every byte position, flipped with 0x01', async () => {
    for (let i = 0; i < bundle.length; i++) await checkFlip(i, 0x01);
  }, 300_000);

  it('every byte position, flipped with 0x80', async () => {
    for (let i = 0; i < bundle.length; i++) await checkFlip(i, 0x80);
  }, 300_000);

  it('random positions with random masks (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bundle.length - 1 }), fc.integer({ min: 1, max: 255 }), async (position, mask) => {
        await checkFlip(position, mask);
      }),
      { numRuns: 400, seed: 20261122 },
    );
  }, 300_000);
});
