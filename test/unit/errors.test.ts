// The coded error model: inflate failures carry a code the zip reader maps (no message
// matching), and errorMessage takes a message from anything thrown.
import { describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { InflateError, errorMessage } from '../../shared/platform/errors';
import { nodePlatform } from '../../shared/platform/node';
import { webPlatform } from '../../shared/platform/web';

const zeros = deflateRawSync(new Uint8Array(4096));

describe('inflate errors carry codes', () => {
  for (const platform of [nodePlatform, webPlatform]) {
    it(`${platform.name}: one-shot inflate above its bound throws inflate-too-large`, async () => {
      const e = await platform.inflateRaw(zeros, 100).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InflateError);
      expect((e as InflateError).code).toBe('inflate-too-large');
    });
    it(`${platform.name}: streamed inflate above its bound throws inflate-too-large`, async () => {
      const stream = platform.createInflateRaw(100);
      const e = await stream
        .push(zeros)
        .then(() => stream.finish())
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InflateError);
      expect((e as InflateError).code).toBe('inflate-too-large');
    });
  }
  // Node 20's DecompressionStream passes bytes after the stream's end without an error, so
  // this checks the Node port only.
  it('node: bytes after the deflate stream throw inflate-trailing-data', async () => {
    const stream = nodePlatform.createInflateRaw(1 << 20);
    const withTail = new Uint8Array([...zeros, 1, 2, 3]);
    const e = await stream
      .push(withTail)
      .then(() => stream.finish())
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InflateError);
    expect((e as InflateError).code).toBe('inflate-trailing-data');
  });
});

describe('errorMessage', () => {
  it('takes the message of an Error, of a { message } object, and the text of anything else', () => {
    expect(errorMessage(new TypeError('bad'))).toBe('bad');
    expect(errorMessage({ message: 'from a worker' })).toBe('from a worker');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(42)).toBe('42');
  });
});
