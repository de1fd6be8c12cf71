// The replays being indexed in the background after verification (the Replay tab then
// opens on a ready index): which agent, how many chunks, and when all are ready.
import { useEffect, useState } from 'react';
import type { ReplaySession } from './session';

export function ReplayIndexStatus({ session }: { session: ReplaySession | null }) {
  const [, setTick] = useState(0);
  useEffect(() => session?.subscribe(() => setTick((t) => t + 1)), [session]);
  if (!session) return null;
  const { agents, ready, current } = session.overall();
  if (agents === 0) return null;
  const done = ready === agents;
  const p = current?.state.progress;
  return (
    <p className="small muted replay-index-status" role="status" data-testid="replay-index-status" data-state={done ? 'ready' : 'indexing'}>
      {done
        ? `Replays indexed (${agents} run agent${agents === 1 ? '' : 's'}).`
        : `Indexing replays in the background: ${ready} of ${agents} ready${
            current ? ` · ${current.runAgentId}${p ? ` ${p.entriesDone} of ${p.entries} ${p.entries === 1 ? 'file' : 'chunks'}` : ''}` : ''
          }`}
    </p>
  );
}
