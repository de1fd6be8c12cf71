// A ByteSource wrapper that serves small reads from a few cached windows, so streaming
// thousands of small neighbouring entries costs one read per window instead of one per
// entry. Reads larger than a window go straight through.

import type { ByteSource } from './ports';

export function windowedSource(source: ByteSource, windowSize = 4 * 1024 * 1024, windows = 4): ByteSource {
  type Window = { start: number; bytes: Promise<Uint8Array> };
  const cache: Window[] = [];
  return {
    size: source.size,
    name: source.name,
    async read(offset, length) {
      if (length > windowSize / 2) return source.read(offset, length);
      for (let i = 0; i < cache.length; i++) {
        const w = cache[i]!;
        const bytes = await w.bytes;
        if (offset >= w.start && offset + length <= w.start + bytes.length) {
          if (i > 0) cache.unshift(...cache.splice(i, 1));
          return bytes.subarray(offset - w.start, offset - w.start + length);
        }
      }
      if (offset < 0 || offset + length > source.size) return source.read(offset, length);
      const start = offset;
      const window: Window = { start, bytes: source.read(start, Math.min(windowSize, source.size - start)) };
      cache.unshift(window);
      if (cache.length > windows) cache.pop();
      const bytes = await window.bytes;
      return bytes.subarray(0, length);
    },
    close: source.close ? () => source.close!() : undefined,
  };
}
