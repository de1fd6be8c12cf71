// One opened bundle's replays on the page: the replay worker, the indexes built so far
// (one per run agent, built once and kept while the bundle is open), search, and the
// reader that fetches a step's events when it is opened. Entries are read through the
// host, so the same code serves the web build and Electron.
import type { BundleHandle, HostApi } from '../../shared/ipc/host-api';
import type { VerificationReport } from '../../shared/evb/report';
import type { Packet } from '../../shared/model/packet-types';
import type { ReplayIndex } from '../../shared/model/replay-index';
import { replayEntryPaths } from '../../shared/model/replay-events';
import { ReplayClient, ReplayEventReader } from '../../shared/model/replay-worker';
import type { IndexProgress, ReplayWorkerPort, SearchResult } from '../../shared/model/replay-worker';

function webWorkerPort(): ReplayWorkerPort {
  const worker = new Worker(new URL('./replay.worker.ts', import.meta.url), { type: 'module' });
  return {
    post: (msg, transfer) => worker.postMessage(msg, transfer),
    listen: (onMessage, onFailure) => {
      worker.onmessage = (e) => onMessage(e.data);
      worker.onerror = (e) => onFailure(e.message || 'it failed to start');
    },
    terminate: () => worker.terminate(),
  };
}

export interface IndexState {
  progress: IndexProgress | null;
  /** ms from the request to the finished index. */
  ms: number | null;
  /** performance.now() when the index was ready (the first screen is timed from here). */
  readyAt: number | null;
}

export class ReplaySession {
  private client: ReplayClient | null = null;
  private readonly indexes = new Map<string, Promise<ReplayIndex>>();
  private readonly states = new Map<string, IndexState>();
  private readonly listeners = new Set<() => void>();
  readonly knownPaths: ReadonlySet<string>;
  /** Every file the verifier listed, intact or not. */
  private readonly listedPaths: readonly string[];
  readonly reader: ReplayEventReader;

  constructor(
    private readonly host: HostApi,
    readonly handle: BundleHandle,
    private readonly packet: Packet,
    report: VerificationReport,
  ) {
    this.knownPaths = new Set(report.files.filter((f) => f.result === 'ok').map((f) => f.path));
    this.listedPaths = report.files.map((f) => f.path);
    this.reader = new ReplayEventReader(this.read, this.knownPaths);
  }

  private readonly read = (path: string, maxBytes: number) => this.host.readEntry(this.handle, path, maxBytes);

  /** Index and search jobs running on the client. */
  private jobs = 0;

  /**
   * Runs a job on the replay worker, started for it when none is running. The worker keeps
   * nothing between jobs (an index goes to the page whole; a search keeps nothing), so it is
   * closed when its last job ends: its engine's heap (30-50 MB after indexing 200,000
   * events, given back only when that engine next collects, which an idle worker may never
   * do) leaves with it (docs/web-performance.md, "Replay memory"). A worker that stopped
   * stays, so later jobs fail the same way.
   */
  private async onWorker<T>(job: (client: ReplayClient) => Promise<T>): Promise<T> {
    this.client ??= new ReplayClient(webWorkerPort(), this.read);
    const client = this.client;
    this.jobs += 1;
    try {
      return await job(client);
    } finally {
      this.jobs -= 1;
      if (this.jobs === 0 && this.client === client && !client.stopped) {
        client.close();
        this.client = null;
      }
    }
  }

  /** The entry paths of a run agent's replay among the bundle's intact files. */
  paths(runAgentId: string): string[] {
    const agent = this.packet.agents.find((a) => a.run_agent_id === runAgentId);
    return replayEntryPaths(agent?.replay ?? null, this.knownPaths);
  }

  /** The entry paths of a run agent's replay that did not match what was signed: never read, never shown. */
  withheld(runAgentId: string): string[] {
    const agent = this.packet.agents.find((a) => a.run_agent_id === runAgentId);
    return replayEntryPaths(agent?.replay ?? null, this.listedPaths).filter((p) => !this.knownPaths.has(p));
  }

  state(runAgentId: string): IndexState {
    return this.states.get(runAgentId) ?? { progress: null, ms: null, readyAt: null };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(runAgentId: string, state: IndexState): void {
    this.states.set(runAgentId, state);
    for (const l of this.listeners) l();
  }

  /** The run agent's index: built on first request, then shared. */
  index(runAgentId: string): Promise<ReplayIndex> {
    let p = this.indexes.get(runAgentId);
    if (!p) {
      const started = performance.now();
      p = this.onWorker((client) =>
        client.index(runAgentId, this.paths(runAgentId), {
          onProgress: (progress) => this.changed(runAgentId, { progress, ms: null, readyAt: null }),
        }),
      ).then((index) => {
        const now = performance.now();
        this.changed(runAgentId, { progress: this.state(runAgentId).progress, ms: now - started, readyAt: now });
        return index;
      });
      p.catch(() => this.indexes.delete(runAgentId));
      this.indexes.set(runAgentId, p);
    }
    return p;
  }

  /**
   * Indexes every run agent's replay in the background, one after another (the candidate
   * first: the Replay tab opens on it), so the tab opens on a ready index. A failure is left
   * for the tab to show when it asks for that index.
   */
  async indexAll(): Promise<void> {
    const agents = [...this.packet.agents].sort((a, b) => Number(b.role === 'candidate') - Number(a.role === 'candidate'));
    for (const a of agents) {
      if (this.closed) return;
      if (this.paths(a.run_agent_id).length === 0) continue;
      await this.index(a.run_agent_id).catch(() => undefined);
    }
  }

  /** The agents with a replay, and how far their indexes are (for the background progress). */
  overall(): { agents: number; ready: number; current: { runAgentId: string; state: IndexState } | null } {
    const withReplay = this.packet.agents.filter((a) => this.paths(a.run_agent_id).length > 0);
    let ready = 0;
    let current: { runAgentId: string; state: IndexState } | null = null;
    for (const a of withReplay) {
      const state = this.state(a.run_agent_id);
      if (state.readyAt !== null) ready++;
      else if (this.indexes.has(a.run_agent_id) && !current) current = { runAgentId: a.run_agent_id, state };
    }
    return { agents: withReplay.length, ready, current };
  }

  search(index: ReplayIndex, query: string, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<SearchResult> {
    return this.onWorker((client) => client.search(index, query, this.knownPaths, { signal, onProgress }));
  }

  private closed = false;

  close(): void {
    this.closed = true;
    this.client?.close();
    this.client = null;
    this.indexes.clear();
  }
}
