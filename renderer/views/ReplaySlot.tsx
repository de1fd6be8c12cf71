// Where the Replay tab's content goes. The replay helper's ReplayTab (renderer/replay)
// replaces the placeholder when it lands.
import type { BundleHandle, HostApi } from '../../shared/ipc/host-api';
import type { Packet } from '../../shared/model/packet-types';
import type { VerificationReport } from '../../shared/evb/report';

export interface ReplaySlotProps {
  host: HostApi;
  handle: BundleHandle;
  packet: Packet;
  report: VerificationReport;
  step: { runAgentId: string; seq: number } | null;
}

export function ReplaySlot({ packet, step }: ReplaySlotProps) {
  return (
    <div className="view">
      <section className="card" aria-labelledby="replay-h">
        <h3 id="replay-h">Replay</h3>
        <p>The replay viewer is not part of this build yet.</p>
        {step ? (
          <p>
            Requested step: <span className="mono">{step.runAgentId}</span> · step {step.seq}
          </p>
        ) : null}
        <ul className="plain-list">
          {packet.agents.map((a) => (
            <li key={a.run_agent_id}>
              {a.label}: {a.replay ? <span className="mono">{a.replay}</span> : <span className="missing">no replay</span>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
