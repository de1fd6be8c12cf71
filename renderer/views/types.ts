import type { Packet } from '../../shared/model/packet-types';
import type { VerificationReport } from '../../shared/evb/report';
import type { HostApi } from '../../shared/ipc/host-api';

export interface ViewProps {
  packet: Packet;
  report: VerificationReport;
  host: HostApi;
  onOpenStep: (runAgentId: string, seq: number) => void;
}
