// Giving buffers back at once. A browser frees a dead ArrayBuffer only when its collector
// runs, and in a worker that waits for tens of megabytes of them: every replay entry read,
// inflated, indexed or searched would otherwise stay in the renderer for a while
// (docs/web-performance.md, "Replay memory").
//
// ArrayBuffer.prototype.transfer(0) detaches a buffer, but in Chromium it frees only one
// that script made: a buffer Blink made (a message's, a Blob read's, a DecompressionStream
// piece) stays held by Blink's own wrapper until the collector runs. Transferring buffers
// into a message on a channel whose other end is closed detaches them and drops the message
// with their memory, whoever made them (measured: 200 MB of each kind back at once, 17 us a
// channel). Node 20 (the CLI, the unit tests) has MessageChannel too.

interface Port {
  postMessage(message: unknown, transfer: ArrayBufferLike[]): void;
  close(): void;
}
const Channel = (globalThis as { MessageChannel?: new () => { port1: Port; port2: Port } }).MessageChannel;

/**
 * Frees these buffers now: they are detached (read as empty from then on). Only for
 * buffers nothing reads any more; one that cannot be transferred is left to the collector.
 */
export function releaseBuffers(buffers: readonly ArrayBufferLike[]): void {
  const live = buffers.filter((b) => b.byteLength > 0);
  if (live.length === 0 || !Channel) return;
  const channel = new Channel();
  channel.port2.close();
  try {
    channel.port1.postMessage(null, live);
  } catch {
    // A buffer the engine will not transfer (a Node pool's, a shared one): the collector's.
  } finally {
    channel.port1.close();
  }
}

export function releaseBuffer(buffer: ArrayBufferLike): void {
  releaseBuffers([buffer]);
}

/** Whether `bytes` spans its whole buffer (so the buffer is the view's alone to hand over or release). */
export function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}

/** Below this a view is left to the collector: a release costs a message channel (17 us). */
const LARGE = 1024 * 1024;

/** Frees the buffer of a view of a megabyte or more that spans all of it (see releaseBuffers). */
export function releaseLarge(bytes: Uint8Array): void {
  if (bytes.byteLength >= LARGE && ownsBuffer(bytes)) releaseBuffers([bytes.buffer]);
}
