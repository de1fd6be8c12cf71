// What a CLI command may touch of the outside world, injectable for tests.
import pkg from '../package.json' with { type: 'json' };

export interface CliWriter {
  write(text: string): void;
  /** True when this stream is a terminal (progress bars only then). */
  readonly isTTY: boolean;
  readonly columns?: number;
}

export interface CliIo {
  stdout: CliWriter;
  stderr: CliWriter;
  /** Working directory that relative paths resolve against. */
  cwd: string;
  /** The clock; tests pin it. */
  now(): Date;
  version: string;
}

export function nodeIo(): CliIo {
  // Output piped into a reader that stops early (`| head`) is not an error of ours.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    now: () => new Date(),
    version: pkg.version,
  };
}

/**
 * Ends the process with `code` once stdout and stderr have taken everything written to
 * them. A finished command has nothing left to wait for, and the teardown Node does at a
 * natural exit (the file workers, the heap) took about 15 ms after a verify. Pipes may be
 * asynchronous (macOS), so the exit waits for both queues to drain.
 */
export async function exitWhenFlushed(code: number): Promise<never> {
  process.exitCode = code; // also the code if a closed pipe ends the process first (EPIPE above)
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  process.exit(code);
}
