// The seam between the replay engine and the stakeholder views: what the replays of an
// opened bundle show (tools used, hosts contacted, tokens, policy blocks, fallbacks...).
// Until the replay engine (renderer/replay) provides it, views say "not observed".
import type { BundleHandle, HostApi } from '../shared/ipc/host-api';
import type { Packet } from '../shared/model/packet-types';
import type { VerificationReport } from '../shared/evb/report';
import type { ReplayObservations } from '../shared/model/observations';

export async function loadObservations(_host: HostApi, _handle: BundleHandle, _packet: Packet, _report: VerificationReport): Promise<ReplayObservations | null> {
  return null;
}
