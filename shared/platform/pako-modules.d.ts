// The two CommonJS modules of pako 1.0.11 (zlib's inflate ported to JavaScript) that
// inflate-sync.ts uses, declared by the members it touches. pako ships no types.

declare module 'pako/lib/zlib/zstream.js' {
  /** zlib's z_stream: input and output buffers with their positions. */
  export default class ZStream {
    input: Uint8Array;
    next_in: number;
    avail_in: number;
    output: Uint8Array;
    next_out: number;
    avail_out: number;
    msg: string;
  }
}

declare module 'pako/lib/zlib/inflate.js' {
  import type ZStream from 'pako/lib/zlib/zstream.js';
  /** windowBits -15: raw deflate, no zlib or gzip wrapper. */
  export function inflateInit2(strm: ZStream, windowBits: number): number;
  export function inflate(strm: ZStream, flush: number): number;
  export function inflateEnd(strm: ZStream): number;
}
