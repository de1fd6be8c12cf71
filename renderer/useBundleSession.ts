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
import type { FileHashState } from './components/FileSha256';

export type Phase =
  | { kind: 'start' }
  | { kind: 'verifying'; handle: BundleHandle; progress: Progress | null }
  | {
      kind: 'open';
      handle: BundleHandle;
      report: VerificationReport;
      model: OpenedModel;
      session: ReplaySession | null;
      /** The report's fileSha256 is set once this is `in-report`. */
      fileHash: FileHashState;
    }
  | { kind: 'error'; message: string };

export interface Opened {
  report: VerificationReport;
  model: OpenedModel;
  /** The whole file's SHA-256 once it is in (the web build computes it after the status); null when it could not be. */
  fileSha256: Promise<string | null>;
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

  /** The file's SHA-256 after the status: its progress, then the report completed with it, or why not. */
  const followFileHash = useCallback(
    async (handle: BundleHandle, signal: AbortSignal): Promise<string | null> => {
      const update = (change: (p: Extract<Phase, { kind: 'open' }>) => Phase) =>
        !signal.aborted && setPhase((p) => (p.kind === 'open' && p.handle === handle ? change(p) : p));
      try {
        const sha = await host.fileSha256(
          handle,
          ({ done, total }) => update((p) => ({ ...p, fileHash: { kind: 'hashing', done, total } })),
          signal,
        );
        update((p) => ({ ...p, report: { ...p.report, fileSha256: sha }, fileHash: { kind: 'in-report' } }));
        return signal.aborted ? null : sha;
      } catch (e) {
        update((p) => ({ ...p, fileHash: { kind: 'failed', message: (e as Error).message } }));
        return null;
      }
    },
    [host],
  );

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
        const fileHash: FileHashState =
          report.fileSha256 === null ? { kind: 'hashing', done: 0, total: handle.size } : { kind: 'in-report' };
        setPhase({ kind: 'open', handle, report, model, session, fileHash });
        // Index the replays now, so the Replay tab opens on a ready index.
        void session?.indexAll();
        if (model.ok)
          void model
            .observations()
            .then((o) => live() && setObservations(o))
            .catch(() => undefined);
        const fileSha256 = report.fileSha256 === null ? followFileHash(handle, controller.signal) : Promise.resolve(report.fileSha256);
        return { report, model, fileSha256 };
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
    [host, onCancelled, followFileHash],
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
