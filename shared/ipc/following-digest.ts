// The whole file's SHA-256 of a held bundle, computed after its status. In the web build it
// is one serial pass over every byte (WebAssembly SHA-256 on a thread of its own, and a
// second read of the File), and no step of the status depends on it: on the 2-core bench
// machine, hashing it beside the entry checks held the status of the 547 MB bench bundle
// back by 1.4-1.9 s (docs/web-performance.md, "The file's SHA-256 after the status"). The
// verification service starts it at the first fileSha256 request after the status; any
// number of requests wait for it, each with its own progress; it stops when the bundle is
// released.
import { CancelledError } from '../platform/ports';

/** Hashes the whole file (a source's own ByteSource.sha256), reporting the bytes hashed. */
export type FileHasher = (signal: AbortSignal, onHashed: (done: number) => void) => Promise<string>;

export class FollowingDigest {
  private readonly controller = new AbortController();
  private readonly watchers = new Set<(done: number) => void>();
  private hashed = 0;
  /** The hex digest, or why it could not be computed (CancelledError once cancelled). */
  readonly result: Promise<string>;

  constructor(
    hash: FileHasher,
    /** The file's size: the total of the progress. */
    readonly total: number,
  ) {
    this.result = hash(this.controller.signal, (done) => {
      this.hashed = Math.min(done, total);
      for (const w of this.watchers) w(this.hashed);
    });
    this.result.catch(() => undefined); // its askers see the failure
  }

  /**
   * The digest, reporting the bytes hashed to `onHashed` (once at once, then as they go)
   * until it is in. `signal` stops this asker only; the hash goes on for the others.
   */
  async wait(onHashed: (done: number) => void, signal: AbortSignal): Promise<string> {
    if (signal.aborted) throw new CancelledError();
    onHashed(this.hashed);
    this.watchers.add(onHashed);
    let onAbort!: () => void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new CancelledError());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([this.result, aborted]);
    } finally {
      this.watchers.delete(onHashed);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Stops the hash (its source's signal); waiting askers get CancelledError. */
  cancel(): void {
    this.controller.abort();
  }
}
