// The digest job of a zip entry read by openZip, as the verifier hands one to a byte
// source's digestEntries (shared/evb/verify-payload.ts), here under the entry's full name.
import type { ZipEntry } from '../../shared/evb/zip';
import type { EntryDigestJob } from '../../shared/platform/ports';

export const digestJobOf = (e: ZipEntry): EntryDigestJob => ({
  path: e.name,
  dataOffset: e.dataOffset,
  compressedSize: e.compressedSize,
  uncompressedSize: e.uncompressedSize,
  method: e.method,
  crc32: e.crc32,
});
