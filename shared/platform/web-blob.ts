// Reading a Blob (a File) without fresh memory per read: a BYOB stream reader fills a buffer
// the caller keeps. A default reader or arrayBuffer() makes a new buffer each time, and on
// the bench machine memory touched for the first time cost more than hashing it
// (docs/web-performance.md, "Fresh memory"). Used by blobSource (web.ts), the entry
// workers (web-digest.ts) and the file-hash worker.

/**
 * What one read of a stream of pieces asks for (the file hash, a streamed entry). With the
 * file hash and both entry workers reading at once, 1 MiB pieces verified the 1 GiB bench
 * bundle in 5.06, 5.06 and 5.21 s against 5.18, 5.44 and 5.50 s with 256 KiB, alternating
 * (bench/web-threads.ts): fewer reads, less of the browser's and the workers' CPU. (Read
 * alone, before the buffers were kept, the file hash had been faster with 256 KiB.)
 */
export const READ_PIECE = 1024 * 1024;

/**
 * Reads [offset, offset + length) of `blob` into `buffer` (a larger one when it is too
 * small) through a BYOB reader: no fresh buffer per read, where a default reader or
 * arrayBuffer() makes one each time (docs/web-performance.md, "Fresh memory"). A BYOB read
 * transfers the buffer it fills, so the view returned lives in a new ArrayBuffer over the
 * same memory, which the caller keeps for its next read. Null when the blob ends first.
 */
export async function readBlobInto(
  blob: Blob,
  offset: number,
  length: number,
  buffer: ArrayBuffer,
): Promise<Uint8Array<ArrayBuffer> | null> {
  let into = buffer.byteLength >= length ? buffer : new ArrayBuffer(length);
  const reader = blob
    .slice(offset, offset + length)
    .stream()
    .getReader({ mode: 'byob' });
  let filled = 0;
  try {
    while (filled < length) {
      const next = await reader.read(new Uint8Array(into, filled, length - filled));
      if (next.value) into = next.value.buffer;
      if (next.done) break;
      filled += next.value.byteLength;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return filled < length ? null : new Uint8Array(into, 0, length);
}

/**
 * A blob as pieces read into `buffer` again and again (a BYOB reader): one request to the
 * browser process, and no fresh buffer per piece. Each piece is valid until the next is
 * asked for; one kept longer reads as empty (its buffer was transferred to the next read),
 * never as other bytes. `keep` gets the buffer back at the end, for the caller's next read.
 * Left early (a failed check, a cancel), the read stops too.
 */
export async function* blobPieces(blob: Blob, buffer: ArrayBuffer, keep?: (buffer: ArrayBuffer) => void): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader({ mode: 'byob' });
  let into = buffer;
  try {
    for (;;) {
      const next = await reader.read(new Uint8Array(into));
      if (next.value) into = next.value.buffer;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    keep?.(into);
    reader.cancel().catch(() => undefined);
  }
}
