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
