// The one error model of the core: an error that carries a code (a string union per
// layer, so a caller switches on the code and never on the message text), the inflate
// error every platform port throws, and the one way to take a message from an unknown
// thrown value.

/** An error with a machine-readable code; the message is for people. */
export class CodedError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

/**
 * Why raw inflate failed. `too-large`: the stream produces more than the bound it was
 * opened with (a deflate bomb, or a size that lies); `trailing-data`: bytes follow the end
 * of the deflate stream; `truncated`: the stream ends before its last block; `corrupt`:
 * anything else zlib or DecompressionStream refused.
 */
export type InflateErrorCode = 'inflate-too-large' | 'inflate-trailing-data' | 'inflate-truncated' | 'inflate-corrupt';

/** Thrown by every platform's inflate (InflateStream, inflateRaw); the zip reader maps the code. */
export class InflateError extends CodedError<InflateErrorCode> {
  constructor(code: InflateErrorCode, message: string) {
    super(code, message);
    this.name = 'InflateError';
  }

  static tooLarge(maxOutput: number): InflateError {
    return new InflateError('inflate-too-large', `inflates to more than the declared ${maxOutput} bytes`);
  }

  static trailing(bytes: number): InflateError {
    return new InflateError('inflate-trailing-data', `${bytes} bytes follow the end of the deflate stream`);
  }

  static truncated(): InflateError {
    return new InflateError('inflate-truncated', 'the deflate stream ends before its last block');
  }

  static corrupt(detail: string): InflateError {
    return new InflateError('inflate-corrupt', `deflate stream is corrupt: ${detail}`);
  }
}

/** The message of whatever was thrown: an Error's message, a `{ message }` object's, or its text. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string')
    return (e as { message: string }).message;
  return String(e);
}

/** The code of whatever was thrown, when it carries a string one. */
export function errorCode(e: unknown): string | undefined {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
