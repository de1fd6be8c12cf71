// The end records of an EVB/1 container (spec section 1): the end-of-central-directory
// record (exactly one, its comment reaching the end of the file) and, where it defers to
// them, the ZIP64 locator and end record. readEnd establishes where the central directory
// lies, or throws a Stop with the finding (zip-too-short, zip-no-eocd, zip-eocd-comment-length,
// zip-multiple-eocd, zip-multidisk, zip-eocd64, zip-cd-bounds: see the table in zip.ts).

import type { ByteSource } from '../platform/ports';
import { throwIfAborted } from '../platform/ports';
import {
  EOCD64_LENGTH,
  EOCD_LENGTH,
  LOCATOR64_LENGTH,
  SIG_EOCD,
  SIG_EOCD64,
  SIG_LOCATOR64,
  Stop,
  U16_MAX,
  U32_MAX,
  plural,
  problem,
  shownNumber,
  u16,
  u32,
  u64,
} from './zip-fields';

/** Where the end records put the central directory. */
export interface End {
  entryCount: number;
  cdOffset: number;
  cdSize: number;
  /** Where the directory must end: the ZIP64 record, or the EOCD. */
  cdEnd: number;
  comment: Uint8Array;
  /** The last bytes of the file, read once: small archives are read from here whole. */
  tail: Uint8Array;
  tailStart: number;
}

/**
 * The EOCD (exactly one, its comment reaching the end of the file), then ZIP64's records.
 * Long because it is the spec's list of end-record checks, one after another, each with its
 * own finding; split, its parts would pass the half-read records between them.
 */
export async function readEnd(source: ByteSource, signal: AbortSignal | undefined): Promise<End> {
  const size = source.size;
  if (size < EOCD_LENGTH)
    throw new Stop(problem('zip-too-short', `The file has ${size} bytes, fewer than a zip archive's end record: it is not a zip archive.`));
  throwIfAborted(signal);
  const tailLength = Math.min(size, EOCD_LENGTH + U16_MAX);
  const tailStart = size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  const signatures: number[] = [];
  // lastIndexOf finds the candidates natively: a byte loop over 64 KiB ran long enough to
  // be compiled on its own.
  for (let i = tail.lastIndexOf(0x50, tail.length - EOCD_LENGTH); i >= 0; i = i > 0 ? tail.lastIndexOf(0x50, i - 1) : -1)
    if (u32(tail, i) === SIG_EOCD) signatures.push(i);
  if (signatures.length === 0)
    throw new Stop(
      problem('zip-no-eocd', 'No end-of-central-directory record in the last 65,557 bytes: this is not a zip archive, or it is truncated.'),
    );
  const fitting = signatures.filter((i) => i + EOCD_LENGTH + u16(tail, i + 20) === tail.length);
  if (fitting.length === 0) {
    const last = signatures[0]!;
    const declared = u16(tail, last + 20);
    const actual = tail.length - last - EOCD_LENGTH;
    throw new Stop(
      problem(
        'zip-eocd-comment-length',
        `The end-of-central-directory record at byte ${tailStart + last} declares a ${declared}-byte archive comment, but ${plural(actual, 'byte', 'bytes')} follow${actual === 1 ? 's' : ''} it: ${actual > declared ? 'bytes were appended after the archive' : 'the comment is cut short'}.`,
      ),
    );
  }
  const eocdAt = fitting[fitting.length - 1]!;
  if (fitting.length > 1 || signatures.some((i) => i > eocdAt)) {
    throw new Stop(
      problem(
        'zip-multiple-eocd',
        'The archive comment holds a second end-of-central-directory record: readers could disagree about what this archive holds.',
      ),
    );
  }
  const eocdOffset = tailStart + eocdAt;
  const disk = u16(tail, eocdAt + 4);
  const cdDisk = u16(tail, eocdAt + 6);
  const entriesOnDisk = u16(tail, eocdAt + 8);
  let entryCount = u16(tail, eocdAt + 10);
  let cdSize = u32(tail, eocdAt + 12);
  let cdOffset = u32(tail, eocdAt + 16);
  const comment = tail.slice(eocdAt + EOCD_LENGTH);
  if (disk !== 0 || cdDisk !== 0 || entriesOnDisk !== entryCount) {
    throw new Stop(
      problem(
        'zip-multidisk',
        `The end record describes a split archive (this disk ${disk}, directory on disk ${cdDisk}, ${entriesOnDisk} of ${entryCount} entries here); split archives are not evidence bundles.`,
      ),
    );
  }
  const bytesAt = (offset: number, length: number): Promise<Uint8Array> | Uint8Array =>
    offset >= tailStart ? tail.subarray(offset - tailStart, offset - tailStart + length) : source.read(offset, length);

  let cdEnd = eocdOffset;
  const needs64 = entryCount === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX;
  const locatorAt = eocdOffset - LOCATOR64_LENGTH;
  const locator = locatorAt >= 0 ? await bytesAt(locatorAt, LOCATOR64_LENGTH) : null;
  if (locator && u32(locator, 0) === SIG_LOCATOR64) {
    if (u32(locator, 4) !== 0 || u32(locator, 16) !== 1) {
      throw new Stop(
        problem(
          'zip-multidisk',
          `The ZIP64 locator puts the ZIP64 end record on disk ${u32(locator, 4)} of ${u32(locator, 16)}; split archives are not evidence bundles.`,
        ),
      );
    }
    const recordAt = u64(locator, 8);
    // The record is fixed-size (no extensible data: that is for PKWARE's encryption) and
    // sits immediately before the locator: no gap, no overlap.
    if (recordAt + EOCD64_LENGTH !== locatorAt) {
      throw new Stop(
        problem(
          'zip-eocd64',
          recordAt + EOCD64_LENGTH <= locatorAt
            ? `The ZIP64 locator points at byte ${recordAt}, ${locatorAt - recordAt - EOCD64_LENGTH} bytes before where a ZIP64 end record right before it would start (${locatorAt - EOCD64_LENGTH}).`
            : `The ZIP64 locator points at byte ${shownNumber(recordAt)}, where no ZIP64 end record fits before the locator at ${locatorAt}.`,
        ),
      );
    }
    const rec = await bytesAt(recordAt, EOCD64_LENGTH);
    if (u32(rec, 0) !== SIG_EOCD64)
      throw new Stop(
        problem('zip-eocd64', `No ZIP64 end-of-central-directory record signature at byte ${recordAt}, where the locator points.`),
      );
    const recordSize = u64(rec, 4);
    if (recordSize !== EOCD64_LENGTH - 12) {
      const diff = EOCD64_LENGTH - 12 - recordSize;
      throw new Stop(
        problem(
          'zip-eocd64',
          `The ZIP64 end record declares ${shownNumber(recordSize)} bytes after its size field, so it ${diff > 0 ? `ends ${diff} bytes before its locator (a gap)` : 'claims extensible data or runs past its locator'}; it must be ${EOCD64_LENGTH - 12} bytes, ending where the locator begins.`,
        ),
      );
    }
    if (u32(rec, 16) !== 0 || u32(rec, 20) !== 0 || u64(rec, 24) !== u64(rec, 32)) {
      throw new Stop(
        problem('zip-multidisk', 'The ZIP64 end record describes a split archive (a disk number other than 0, or entries on other disks).'),
      );
    }
    const count64 = u64(rec, 32);
    const size64 = u64(rec, 40);
    const offset64 = u64(rec, 48);
    const differs = (v32: number, marker: number, v64: number) => v32 !== marker && v32 !== v64;
    const disagreements = [
      differs(entryCount, U16_MAX, count64) && `${plural(entryCount, 'entry', 'entries')} against ${shownNumber(count64)}`,
      differs(cdSize, U32_MAX, size64) && `a ${cdSize}-byte directory against ${shownNumber(size64)} bytes`,
      differs(cdOffset, U32_MAX, offset64) && `a directory at byte ${cdOffset} against ${shownNumber(offset64)}`,
    ].filter(Boolean);
    if (disagreements.length)
      throw new Stop(problem('zip-eocd64', `The end record and its ZIP64 twin disagree: ${disagreements.join('; ')}.`));
    entryCount = count64;
    cdSize = size64;
    cdOffset = offset64;
    cdEnd = recordAt;
  } else if (needs64) {
    throw new Stop(problem('zip-eocd64', 'The end record defers to ZIP64 values (all-ones fields), but no ZIP64 locator precedes it.'));
  }
  if (
    !Number.isSafeInteger(entryCount) ||
    !Number.isSafeInteger(cdSize) ||
    !Number.isSafeInteger(cdOffset) ||
    cdOffset + cdSize !== cdEnd
  ) {
    const where =
      cdOffset + cdSize < cdEnd
        ? `${plural(cdEnd - cdOffset - cdSize, 'byte', 'bytes')} before it`
        : `overlapping it by ${plural(cdOffset + cdSize - cdEnd, 'byte', 'bytes')}`;
    throw new Stop(
      problem(
        'zip-cd-bounds',
        `The central directory (${shownNumber(cdSize)} bytes at byte ${shownNumber(cdOffset)}) does not end where the ${cdEnd === eocdOffset ? 'end record' : 'ZIP64 end record'} begins (byte ${cdEnd}): it ends ${where}.`,
      ),
    );
  }
  return { entryCount, cdOffset, cdSize, cdEnd, comment, tail, tailStart };
}
