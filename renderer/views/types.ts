import type { Packet } from '../../shared/model/packet-types';
import type { VerificationReport } from '../../shared/evb/report';
import type { HostApi } from '../../shared/ipc/host-api';
import type { ExhibitDb } from '../db';
import type { ReplayObservations } from '../../shared/model/observations';

export interface ViewProps {
  packet: Packet;
  report: VerificationReport;
  host: HostApi;
  /** data/packet.json as signed, byte for byte (the PDF export attaches it). */
  packetBytes: Uint8Array;
  /** The user's database (the PDF export log lives there). */
  db: ExhibitDb;
  /** What the replays show, once the replay engine has read them; null until then. */
  observations: ReplayObservations | null;
  onOpenStep: (runAgentId: string, seq: number) => void;
}
