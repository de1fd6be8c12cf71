// The seam between the replays and the stakeholder views: what the replays of an opened
// bundle show (tools used, hosts contacted, tokens, policy blocks, fallbacks...), read
// through the host and counted by shared/model/observe-replay. An agent whose replay cannot
// be read (missing, too large, not verified as intact) is left out, and the views say so.
import type { BundleHandle, HostApi } from '../shared/ipc/host-api';
import type { Packet } from '../shared/model/packet-types';
import type { VerificationReport } from '../shared/evb/report';
import type { ReplayObservations } from '../shared/model/observations';
import { emptyObservations, observeReplayText } from '../shared/model/observe-replay';

/** Most replay bytes read per agent for the overview; the Replay tab indexes larger ones. */
const MAX_REPLAY_BYTES = 256 * 1024 * 1024;

export async function loadObservations(host: HostApi, handle: BundleHandle, packet: Packet, report: VerificationReport): Promise<ReplayObservations | null> {
  if (report.status === 'malformed') return null;
  const files = new Map(report.files.filter((f) => f.result === 'ok').map((f) => [f.path, f.size ?? 0]));
  const byAgent: ReplayObservations['byAgent'] = {};
  const decoder = new TextDecoder();
  for (const agent of packet.agents) {
    const replay = agent.replay;
    if (!replay) continue;
    const paths = replay.endsWith('/') ? [...files.keys()].filter((p) => p.startsWith(replay) && p.endsWith('.jsonl')).sort() : files.has(replay) ? [replay] : [];
    const total = paths.reduce((n, p) => n + (files.get(p) ?? 0), 0);
    if (paths.length === 0 || total > MAX_REPLAY_BYTES) continue;
    try {
      const o = emptyObservations();
      for (const path of paths) observeReplayText(o, agent.run_agent_id, decoder.decode(await host.readEntry(handle, path, MAX_REPLAY_BYTES)));
      byAgent[agent.run_agent_id] = o;
    } catch {
      // An unreadable replay is simply not observed.
    }
  }
  return Object.keys(byAgent).length ? { byAgent } : null;
}
