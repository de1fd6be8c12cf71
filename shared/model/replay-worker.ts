// Indexing and searching replays off the page's thread. The worker side
// (handleReplayWorkerMessage) builds a ReplayIndex from the entry bytes it is sent and
// searches entry text; the client side (ReplayClient) reads the entries through the host,
// pipelines them into the worker and maps search hits to events. The same two halves run
// in a Web Worker (renderer) and a worker thread (Node), over a small message port.

import type { ReplayIndex } from './replay-index';
import type { ReadEntry } from './observe-replay';
import { EVENT_OFFLOADED, ReplayIndexBuilder, forEachLine, indexBuffers } from './replay-index';
import { ownsBuffer, releaseBuffer } from '../platform/release-buffer';
import { eventsOfLines, lineMatches, payloadRefPath, searchNeedles } from './replay-steps';
import { MAX_PAYLOAD_BYTES, MAX_REPLAY_ENTRY_BYTES } from '../evb/limits';

export type ReplayWorkerRequest =
  | { kind: 'begin'; id: number; runAgentId: string }
  | { kind: 'entry'; id: number; job: number; path: string; bytes: Uint8Array }
  | { kind: 'finish'; id: number; job: number }
  | { kind: 'search'; id: number; bytes: Uint8Array; needles: string[]; refLines: Uint32Array };

export type ReplayWorkerResponse =
  | { kind: 'ok'; id: number; events?: number }
  | { kind: 'index'; id: number; index: ReplayIndex }
  | { kind: 'lines'; id: number; lines: Uint32Array; refs: Array<{ line: number; ref: string }> }
  | { kind: 'error'; id: number; message: string };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

type Post = (msg: ReplayWorkerResponse, transfer: ArrayBuffer[]) => void;

/**
 * The worker's side: keeps the builders of the indexes being built, answers one message at a
 * time. The entry bytes of a message are the worker's own (the client transfers them), and
 * nothing is kept of them once indexed or searched, so they are released at once (`release`,
 * releaseBuffer): left to the collector, a search of every entry kept up to a hundred
 * megabytes of dead entries in the renderer (docs/web-performance.md).
 */
export function createReplayWorkerHandler(
  post: Post,
  release: (buffer: ArrayBufferLike) => void = releaseBuffer,
): (msg: ReplayWorkerRequest) => void {
  const builders = new Map<number, ReplayIndexBuilder>();
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  return (msg) => {
    try {
      switch (msg.kind) {
        case 'begin':
          builders.set(msg.id, new ReplayIndexBuilder(msg.runAgentId));
          post({ kind: 'ok', id: msg.id }, []);
          return;
        case 'entry': {
          const b = builders.get(msg.job);
          if (!b) throw new Error('No index is being built under this job.');
          b.addEntry(msg.path, msg.bytes);
          releaseOwned(msg.bytes, release);
          post({ kind: 'ok', id: msg.id }, []);
          return;
        }
        case 'finish': {
          const b = builders.get(msg.job);
          if (!b) throw new Error('No index is being built under this job.');
          builders.delete(msg.job);
          const index = b.finish();
          post({ kind: 'index', id: msg.id, index }, indexBuffers(index));
          return;
        }
        case 'search': {
          const hits: number[] = [];
          const refs: Array<{ line: number; ref: string }> = [];
          let r = 0;
          forEachLine(msg.bytes, decoder, (text, _offset, _length, lineNo) => {
            if (text === null) return;
            if (lineMatches(text, msg.needles)) hits.push(lineNo);
            while (r < msg.refLines.length && msg.refLines[r]! < lineNo) r++;
            if (r < msg.refLines.length && msg.refLines[r] === lineNo) {
              const ref = stubRef(text);
              if (ref !== null) refs.push({ line: lineNo, ref });
            }
          });
          releaseOwned(msg.bytes, release);
          const lines = Uint32Array.from(hits);
          post({ kind: 'lines', id: msg.id, lines, refs }, [lines.buffer]);
          return;
        }
      }
    } catch (e) {
      if ('job' in msg) builders.delete(msg.job);
      post({ kind: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) }, []);
    }
  };
}

/** Releases the buffer of bytes a message brought, when they are the whole of it (a transferred entry). */
function releaseOwned(bytes: Uint8Array, release: (buffer: ArrayBufferLike) => void): void {
  if (ownsBuffer(bytes)) release(bytes.buffer);
}

function stubRef(line: string): string | null {
  try {
    const e: unknown = JSON.parse(line);
    const p = typeof e === 'object' && e !== null ? (e as { payload?: unknown }).payload : undefined;
    const ref = typeof p === 'object' && p !== null ? (p as { $ref?: unknown }).$ref : undefined;
    return typeof ref === 'string' ? ref : null;
  } catch {
    return null;
  }
}

/** A message port to a worker: Web Worker and worker_threads both fit. */
export interface ReplayWorkerPort {
  post(msg: ReplayWorkerRequest, transfer: ArrayBuffer[]): void;
  /** Registers the one listener for the worker's answers and for its failure. */
  listen(onMessage: (msg: ReplayWorkerResponse) => void, onFailure: (message: string) => void): void;
  terminate(): void;
}

export interface IndexProgress {
  entriesDone: number;
  entries: number;
  bytesDone: number;
}

export interface SearchResult {
  /** Matching events, in file order. */
  events: Int32Array;
  /** Offloaded payloads searched, and those left out because the search's payload budget ran out. */
  payloadsSearched: number;
  payloadsSkipped: number;
}

/** Most bytes of offloaded payloads one search reads. */
const SEARCH_PAYLOAD_BUDGET = 256 * 1024 * 1024;

class ReplayCancelled extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'ReplayCancelled';
  }
}

/** The page's side: indexes and searches replays through the worker, reading entries through `read`. */
export class ReplayClient {
  private nextId = 1;
  private pending = new Map<number, { resolve: (m: ReplayWorkerResponse) => void; reject: (e: Error) => void }>();
  private failed: string | null = null;

  constructor(
    private readonly port: ReplayWorkerPort,
    private readonly read: ReadEntry,
  ) {
    port.listen(
      (msg) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.kind === 'error') p.reject(new Error(msg.message));
        else p.resolve(msg);
      },
      (message) => {
        this.failed = message;
        for (const p of this.pending.values()) p.reject(new Error(`The replay worker stopped: ${message}`));
        this.pending.clear();
      },
    );
  }

  private call(msg: WithoutId<ReplayWorkerRequest>, transfer: ArrayBuffer[] = []): Promise<ReplayWorkerResponse> {
    if (this.failed) return Promise.reject(new Error(`The replay worker stopped: ${this.failed}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.post({ ...msg, id } as ReplayWorkerRequest, transfer);
    });
  }

  /**
   * Indexes the replay made of these entries (in order). The next entry is read while the
   * worker parses the one before, so reading and parsing overlap.
   */
  async index(
    runAgentId: string,
    paths: readonly string[],
    opts: { signal?: AbortSignal; onProgress?: (p: IndexProgress) => void } = {},
  ): Promise<ReplayIndex> {
    const begun = await this.call({ kind: 'begin', runAgentId });
    const job = begun.id;
    let bytesDone = 0;
    let next: Promise<Uint8Array> | null = paths.length ? this.read(paths[0]!, MAX_REPLAY_ENTRY_BYTES) : null;
    let parsing: Promise<unknown> = Promise.resolve();
    try {
      for (let i = 0; i < paths.length; i++) {
        const bytes = await next!;
        if (opts.signal?.aborted) throw new ReplayCancelled();
        next = i + 1 < paths.length ? this.read(paths[i + 1]!, MAX_REPLAY_ENTRY_BYTES) : null;
        next?.catch(() => undefined);
        await parsing;
        bytesDone += bytes.length;
        const size = bytes.length;
        parsing = this.call({ kind: 'entry', job, path: paths[i]!, bytes }, [bytes.buffer as ArrayBuffer]).then(() => {
          opts.onProgress?.({ entriesDone: i + 1, entries: paths.length, bytesDone });
          return size;
        });
      }
      await parsing;
    } catch (e) {
      void this.call({ kind: 'finish', job }).catch(() => undefined);
      throw e;
    }
    const done = await this.call({ kind: 'finish', job });
    if (done.kind !== 'index') throw new Error('Unexpected answer from the replay worker.');
    return done.index;
  }

  /**
   * Searches the text of every event of the index (its line, and the payload a `$ref`
   * stub points to) for the query, ignoring case.
   */
  async search(
    index: ReplayIndex,
    query: string,
    knownPaths: ReadonlySet<string>,
    opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<SearchResult> {
    const needles = searchNeedles(query);
    if (!needles.length) return { events: new Int32Array(0), payloadsSearched: 0, payloadsSkipped: 0 };
    const found = new Set<number>();
    const stubs: Array<{ event: number; ref: string }> = [];
    const refLinesByEntry = offloadedLines(index);
    for (let entry = 0; entry < index.paths.length; entry++) {
      if (opts.signal?.aborted) throw new ReplayCancelled();
      const bytes = await this.read(index.paths[entry]!, MAX_REPLAY_ENTRY_BYTES);
      const refLines = refLinesByEntry.get(entry) ?? new Uint32Array(0);
      const r = await this.call({ kind: 'search', bytes, needles, refLines }, [bytes.buffer as ArrayBuffer]);
      if (r.kind !== 'lines') throw new Error('Unexpected answer from the replay worker.');
      for (const e of eventsOfLines(index, entry, r.lines)) found.add(e);
      if (r.refs.length) {
        const events = eventsOfLines(index, entry, Uint32Array.from(r.refs.map((x) => x.line)));
        events.forEach((event, k) => stubs.push({ event, ref: r.refs[k]!.ref }));
      }
      opts.onProgress?.(entry + 1, index.paths.length);
    }
    let budget = SEARCH_PAYLOAD_BUDGET;
    let payloadsSearched = 0;
    let payloadsSkipped = 0;
    const decoder = new TextDecoder();
    for (const { event, ref } of stubs) {
      if (found.has(event)) continue;
      const path = payloadRefPath(ref);
      if (path === null || !knownPaths.has(path)) continue;
      if (budget <= 0) {
        payloadsSkipped += 1;
        continue;
      }
      if (opts.signal?.aborted) throw new ReplayCancelled();
      try {
        const bytes = await this.read(path, Math.min(MAX_PAYLOAD_BYTES, budget));
        budget -= bytes.length;
        payloadsSearched += 1;
        const text = decoder.decode(bytes).toLowerCase();
        if (needles.some((n) => text.includes(n))) found.add(event);
      } catch {
        payloadsSkipped += 1;
      }
    }
    return { events: Int32Array.from([...found].sort((a, b) => a - b)), payloadsSearched, payloadsSkipped };
  }

  /** Whether the worker has stopped (every call fails from then on). */
  get stopped(): boolean {
    return this.failed !== null;
  }

  close(): void {
    this.port.terminate();
  }
}

/** Per entry, the sorted line numbers of its offloaded events. */
function offloadedLines(index: ReplayIndex): Map<number, Uint32Array> {
  const lists = new Map<number, number[]>();
  for (let e = 0; e < index.eventCount; e++) {
    if (!(index.flags[e]! & EVENT_OFFLOADED)) continue;
    const c = index.chunk[e]!;
    const list = lists.get(c) ?? [];
    list.push(index.line[e]!);
    lists.set(c, list);
  }
  return new Map([...lists].map(([c, l]) => [c, Uint32Array.from(l)]));
}

/** What opening a step shows of one event: its line as text and parsed, and the payload a stub points to. */
export interface EventText {
  event: number;
  /** The event's line as written. */
  text: string;
  /** Its JSON value; undefined when the line is not JSON. */
  value: unknown;
  /** For a `$ref` stub: where it points and what is there (or why it could not be read). */
  offloaded: { path: string | null; text: string | null; value: unknown; error: string | null } | null;
}

/**
 * Reads events' lines on demand from their entries (the last few entries stay cached), and
 * the payload files their `$ref` stubs point to when those are in the bundle's manifest.
 */
export class ReplayEventReader {
  private cache: Array<{ path: string; bytes: Uint8Array }> = [];
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly read: ReadEntry,
    private readonly knownPaths: ReadonlySet<string>,
    private readonly cacheEntries = 3,
  ) {}

  private async entry(path: string): Promise<Uint8Array> {
    const hit = this.cache.find((c) => c.path === path);
    if (hit) return hit.bytes;
    const bytes = await this.read(path, MAX_REPLAY_ENTRY_BYTES);
    this.cache.unshift({ path, bytes });
    this.cache.length = Math.min(this.cache.length, this.cacheEntries);
    return bytes;
  }

  async readEvent(index: ReplayIndex, event: number): Promise<EventText> {
    const bytes = await this.entry(index.paths[index.chunk[event]!]!);
    const start = index.offset[event]!;
    const text = this.decoder.decode(bytes.subarray(start, start + index.length[event]!));
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    let offloaded: EventText['offloaded'] = null;
    if (index.flags[event]! & EVENT_OFFLOADED) {
      const ref = (value as { payload?: { $ref?: unknown } } | undefined)?.payload?.$ref;
      const path = payloadRefPath(ref);
      if (path === null)
        offloaded = {
          path: null,
          text: null,
          value: undefined,
          error: 'The $ref points outside data/replays/payloads/; it is not followed.',
        };
      else if (!this.knownPaths.has(path))
        offloaded = {
          path,
          text: null,
          value: undefined,
          error: 'The $ref names no intact file of this bundle (spec 4.2: it must name a manifest entry).',
        };
      else {
        try {
          const payload = this.decoder.decode(await this.read(path, MAX_PAYLOAD_BYTES));
          let parsed: unknown;
          try {
            parsed = JSON.parse(payload);
          } catch {
            parsed = undefined;
          }
          offloaded = { path, text: payload, value: parsed, error: null };
        } catch (e) {
          offloaded = {
            path,
            text: null,
            value: undefined,
            error: `The payload could not be read: ${e instanceof Error ? e.message : String(e)}`,
          };
        }
      }
    }
    return { event, text, value, offloaded };
  }
}
