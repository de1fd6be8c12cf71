// Raw inflate of a small entry in one synchronous call, for the web build's entry workers
// (web-digest.ts). A DecompressionStream costs its set-up, a promise per chunk and a task
// per result: for 10,000 entries of 20 KiB that was most of the time (docs/web-performance.md).
// pako's port of zlib's inflate writes straight into one buffer of the declared size plus a
// byte, so it can never produce more than that (a deflate bomb stops there), and tells, as
// zlib does, whether the stream ended and how many input bytes were left after its end.

import ZStream from 'pako/lib/zlib/zstream.js';
import { inflate, inflateEnd, inflateInit2 } from 'pako/lib/zlib/inflate.js';
import { InflateError } from './errors';

const Z_NO_FLUSH = 0;
const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;
const RAW_WINDOW_BITS = -15;

/**
 * Inflates `data` (raw deflate) that declares `declared` bytes of output. Returns exactly
 * what it inflates to, when that is at most `declared` bytes and the stream ends with the
 * data; throws InflateError otherwise: too large, truncated, corrupt, or bytes after its end.
 */
export function inflateRawSync(data: Uint8Array, declared: number): Uint8Array {
  const strm = new ZStream();
  inflateInit2(strm, RAW_WINDOW_BITS);
  strm.input = data;
  strm.next_in = 0;
  strm.avail_in = data.length;
  // One byte over the declared size: producing it proves the entry inflates to more.
  strm.output = new Uint8Array(declared + 1);
  strm.next_out = 0;
  strm.avail_out = declared + 1;
  const status = inflate(strm, Z_NO_FLUSH);
  inflateEnd(strm);
  if (strm.next_out > declared) throw InflateError.tooLarge(declared);
  if (status === Z_STREAM_END) {
    if (strm.avail_in > 0) throw InflateError.trailing(strm.avail_in);
    return strm.output.subarray(0, strm.next_out);
  }
  if (status === Z_OK || status === Z_BUF_ERROR) throw InflateError.truncated();
  throw InflateError.corrupt(strm.msg || `zlib status ${status}`);
}
