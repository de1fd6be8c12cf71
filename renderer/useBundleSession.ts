// The opened bundle of the app window, as a hook: verifying it (with progress, cancellable),
// then opening its model once through shared/model/open-bundle (the packet, or why it is not
// shown), the replay session the Replay tab reads, and the observations the slices show,
// computed from that same session's indexes. Opening another bundle or closing this one
// closes the previous bundle and its replay worker.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BundleHandle, HostApi } from '../shared/ipc/host-api';
import type { VerificationReport } from '../shared/evb/report';
import type { Progress } from '../shared/platform/ports';
import type { TrustStore } from '../shared/evb/crypto-types';
import type { OpenedModel } from '../shared/model/open-bundle';
import { openBundleModel } from '../shared/model/open-bundle';
import type { ReplayObservations } from '../shared/model/observations';
import { ReplaySession } from './replay/session';

export type Phase =
  | { kind: 'start' }
  | { kind: 'verifying'; handle: BundleHandle; progress: Progress | null }
  | { kind: 'open'; handle: BundleHandle; report: VerificationReport; model: OpenedModel; session: ReplaySession | null }
  | { kind: 'error'; message: string };

export interface Opened {
  report: VerificationReport;
  model: OpenedModel;
}

interface BundleSession {
  phase: Phase;
  observations: ReplayObservations | null;
  /** Closes the open bundle, then verifies this one against `trust` and opens its model. */
  open: (handle: BundleHandle, trust: TrustStore) => Promise<Opened | null>;
  /** Verifies the bundle (again) against `trust` and opens its model; null when cancelled or failed. */
  verify: (handle: BundleHandle, trust: TrustStore) => Promise<Opened | null>;
  cancel: () => void;
  /** Closes the open bundle (if any) and shows the start screen, or an error. */
  close: (error?: string) => void;
}

/** A verified bundle opened: its model, and its replay session when it has a packet. */
async function openVerified(host: HostApi, handle: BundleHandle, report: VerificationReport) {
  const read = (path: string, maxBytes: number) => host.readEntry(handle, path, maxBytes);
  const holder: { session: ReplaySession | null } = { session: null };
  const model = await openBundleModel(report, read, {
    // The slices' observations come from the Replay tab's own indexes.
    indexReplay: (runAgentId) => holder.session!.index(runAgentId),
  });
  if (model.ok) holder.session = new ReplaySession(host, handle, model.packet, report);
  return { model, session: holder.session };
}

export function useBundleSession(host: HostApi, onCancelled: () => void): BundleSession {
  const [phase, setPhase] = useState<Phase>({ kind: 'start' });
  const [observations, setObservations] = useState<ReplayObservations | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const openHandle = phase.kind === 'open' || phase.kind === 'verifying' ? phase.handle : null;
  const session = phase.kind === 'open' ? phase.session : null;

  useEffect(() => () => session?.close(), [session]);

  const verify = useCallback(
    async (handle: BundleHandle, trust: TrustStore): Promise<Opened | null> => {
      abortRef.current?.abort();
      const controller = new AbortController();
      abortRef.current = controller;
      const live = () => !controller.signal.aborted;
      setPhase({ kind: 'verifying', handle, progress: null });
      setObservations(null);
      try {
        const report = await host.verify(
          handle,
          { trust },
          (progress) => live() && setPhase({ kind: 'verifying', handle, progress }),
          controller.signal,
        );
        if (!live()) return null;
        const { model, session } = await openVerified(host, handle, report);
        if (!live()) {
          session?.close();
          return null;
        }
        setPhase({ kind: 'open', handle, report, model, session });
        // Index the replays now, so the Replay tab opens on a ready index.
        void session?.indexAll();
        if (model.ok)
          void model
            .observations()
            .then((o) => live() && setObservations(o))
            .catch(() => undefined);
        return { report, model };
      } catch (e) {
        // Superseded by another verification, or closed: whoever superseded it closed the handle if needed.
        if (abortRef.current !== controller) return null;
        if (!live() || (e as { code?: string }).code === 'cancelled') {
          setPhase({ kind: 'start' });
          onCancelled();
          void host.closeBundle(handle).catch(() => undefined);
          return null;
        }
        setPhase({ kind: 'error', message: (e as Error).message });
        return null;
      }
    },
    [host, onCancelled],
  );

  const close = useCallback(
    (error?: string) => {
      const verifying = abortRef.current;
      abortRef.current = null;
      verifying?.abort();
      if (openHandle) void host.closeBundle(openHandle).catch(() => undefined);
      setPhase(error === undefined ? { kind: 'start' } : { kind: 'error', message: error });
      setObservations(null);
    },
    [host, openHandle],
  );

  const openBundle = useCallback(
    (handle: BundleHandle, trust: TrustStore) => {
      if (openHandle && openHandle.id !== handle.id) void host.closeBundle(openHandle).catch(() => undefined);
      return verify(handle, trust);
    },
    [host, openHandle, verify],
  );

  const cancel = useCallback(() => abortRef.current?.abort(), []);

  return useMemo(
    () => ({ phase, observations, open: openBundle, verify, cancel, close }),
    [phase, observations, openBundle, verify, cancel, close],
  );
}
