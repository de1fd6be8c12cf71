// Search over one replay index, as a hook: runs a query through the session's worker (the
// event lines, and the offloaded payloads their stubs point to), reports progress, and
// marks the steps one of whose events matched. A new query, or leaving, cancels the last.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReplayIndex } from '../../shared/model/replay-index';
import type { ReplaySession } from './session';

export interface SearchState {
  query: string;
  running: boolean;
  progress: string | null;
  /** Per step: 1 when one of its events matched. Null before any search. */
  matched: Uint8Array | null;
  events: number;
  note: string | null;
}

const NO_SEARCH: SearchState = { query: '', running: false, progress: null, matched: null, events: 0, note: null };

export function useReplaySearch(session: ReplaySession, index: ReplayIndex) {
  const [search, setSearch] = useState<SearchState>(NO_SEARCH);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const run = useCallback(
    async (query: string) => {
      abort.current?.abort();
      if (query.trim() === '') {
        setSearch(NO_SEARCH);
        return;
      }
      const controller = new AbortController();
      abort.current = controller;
      setSearch({ ...NO_SEARCH, query, running: true, progress: 'Searching…' });
      try {
        const result = await session.search(index, query, controller.signal, (done, total) => {
          if (!controller.signal.aborted)
            setSearch((s) => ({ ...s, progress: `Searching… ${done} of ${total} ${total === 1 ? 'file' : 'chunks'}` }));
        });
        if (controller.signal.aborted) return;
        const matched = new Uint8Array(index.stepCount);
        for (const e of result.events) matched[index.eventStep[e]!] = 1;
        const note = result.payloadsSkipped
          ? `${result.payloadsSkipped} offloaded payloads were not searched (the search reads at most 256 MB of them).`
          : null;
        setSearch({ query, running: false, progress: null, matched, events: result.events.length, note });
      } catch (e) {
        if (controller.signal.aborted) return;
        setSearch({ ...NO_SEARCH, query, note: `The search failed: ${(e as Error).message}` });
      }
    },
    [session, index],
  );

  /** Says something about the search line (a step asked for that is not in the replay). */
  const note = useCallback((text: string) => setSearch((s) => ({ ...s, note: text })), []);

  return { search, run, note };
}
