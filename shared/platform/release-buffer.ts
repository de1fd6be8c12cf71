// Giving a buffer's memory back at once. A browser frees a dead ArrayBuffer only when its
// collector runs, and in a worker that waits for tens of megabytes of them: every replay
// entry read, inflated, indexed or searched would otherwise stay in the renderer for a while
// (docs/web-performance.md, "Replay memory").

/**
 * Detaches `buffer` (ArrayBuffer.prototype.transfer(0), ES2024), which frees its memory now;
 * nothing where the engine lacks it (Node 20). Only for a buffer nothing reads any more.
 */
export function releaseBuffer(buffer: ArrayBufferLike): void {
  const transfer = (buffer as { transfer?: (length: number) => ArrayBuffer }).transfer;
  if (typeof transfer !== 'function' || buffer.byteLength === 0) return;
  transfer.call(buffer, 0);
}

/** Whether `bytes` spans its whole buffer (so the buffer is the view's alone to hand over or release). */
export function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}
