// The seam between the replays and the stakeholder views: what the replays of an opened
// bundle show (tools used, hosts contacted, tokens, policy blocks, fallbacks...), read
// through the host and counted by shared/model/observe-replay (the CLI's PDF uses the same).
import type { BundleHandle, HostApi } from '../shared/ipc/host-api';
import type { Packet } from '../shared/model/packet-types';
import type { VerificationReport } from '../shared/evb/report';
import type { ReplayObservations } from '../shared/model/observations';
import { observeBundleReplays } from '../shared/model/observe-replay';

export function loadObservations(
  host: HostApi,
  handle: BundleHandle,
  packet: Packet,
  report: VerificationReport,
): Promise<ReplayObservations | null> {
  return observeBundleReplays(packet, report, (path, maxBytes) => host.readEntry(handle, path, maxBytes));
}
