// The place on Overview where the PDF export button ([data-testid="export-pdf"]) goes.
// The PDF helper fills this in; it renders nothing until then.
import type { Packet } from '../../shared/model/packet-types';
import type { VerificationReport } from '../../shared/evb/report';
import type { HostApi } from '../../shared/ipc/host-api';

export interface ExportPdfSlotProps {
  packet: Packet;
  report: VerificationReport;
  host: HostApi;
}

export function ExportPdfSlot(_props: ExportPdfSlotProps) {
  return null;
}
