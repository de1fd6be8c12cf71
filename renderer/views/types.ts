import type { Packet } from '../../shared/model/packet-types';
import type { VerificationReport } from '../../shared/evb/report';
import type { HostApi } from '../../shared/ipc/host-api';
import type { ReplayObservations } from '../../shared/model/observations';

export interface ViewProps {
  packet: Packet;
  report: VerificationReport;
  host: HostApi;
  /** What the replays show, once the replay engine has read them; null until then. */
  observations: ReplayObservations | null;
  onOpenStep: (runAgentId: string, seq: number) => void;
}
