// The app shell: header with the open-file control and the status badge, the start screen,
// progress while verifying, and the tab frame over an opened bundle (useBundleSession holds
// the bundle); drag and drop anywhere on the window, and `#replay/<run agent>/<sequence>`
// links to a replay step.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BundleHandle, HostApi } from '../shared/ipc/host-api';
import type { TrustStore } from '../shared/evb/crypto-types';
import { parsePublicKey } from '../shared/evb/keys';
import { addTrustedKey } from '../shared/evb/trust';
import type { ExhibitDb, RecentBundle } from './db';
import { listRecent, loadTrustStore, rememberRecent, saveTrustStore } from './db';
import { StatusBadge } from './components/StatusBadge';
import { TrustStorePanel } from './components/TrustStorePanel';
import type { TrustRequest } from './views/Integrity';
import type { StepId, StepRequest } from './replay/format';
import { parseStepFragment, stepFragment } from './replay/format';
import { formatBytes } from './format';
import { useTheme } from './theme';
import { useBundleSession } from './useBundleSession';
import type { Phase } from './useBundleSession';
import { OpenFileInput } from './shell/OpenFileInput';
import { StartScreen } from './shell/StartScreen';
import { TabFrame } from './shell/TabFrame';
import type { Tab } from './shell/TabFrame';

function nowIso(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Sets `dragging` while files are dragged over the window; opens the file dropped. */
function useWindowDrop(onFile: (file: File) => void): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file) onFile(file);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [onFile]);
  return dragging;
}

export function App({ host, db }: { host: HostApi; db: ExhibitDb }) {
  const [tab, setTab] = useState<Tab>('Overview');
  const [trust, setTrust] = useState<TrustStore>({ keys: [] });
  const [recent, setRecent] = useState<RecentBundle[]>([]);
  const [showTrust, setShowTrust] = useState(false);
  const [step, setStep] = useState<StepRequest | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const stepToken = useRef(1);
  const { theme, toggle } = useTheme();
  const onOpenStep = useCallback((s: StepId) => {
    setStep({ ...s, token: stepToken.current++ });
    setTab('Replay');
  }, []);
  const onCancelled = useCallback(() => setNotice('Verification cancelled.'), []);
  const bundle = useBundleSession(host, onCancelled);
  const { phase, open: openBundle, close: closeBundle, verify } = bundle;
  const openModel = phase.kind === 'open' && phase.model.ok ? phase.model : null;
  const hasPendingLink = useStepLinks(openModel?.packet.agents ?? null, onOpenStep);

  useEffect(() => {
    void loadTrustStore(db).then(setTrust);
    void listRecent(db).then(setRecent);
  }, [db]);

  const open = useCallback(
    async (get: () => Promise<BundleHandle | null>) => {
      setNotice(null);
      try {
        const handle = await get();
        if (!handle) return;
        setTab('Overview');
        setStep(null);
        // A link to a step of the bundle that was open no longer applies.
        if (!hasPendingLink() && location.hash) history.replaceState(history.state, '', location.pathname + location.search);
        const opened = await openBundle(handle, trust);
        if (!opened) return;
        if (opened.report.status === 'malformed') setTab('Integrity');
        if (opened.report.fileSha256) {
          await rememberRecent(db, {
            fileSha256: opened.report.fileSha256,
            title: opened.model.ok ? opened.model.packet.title : null,
            bundleId: opened.report.bundleId,
            status: opened.report.status,
            openedAt: nowIso(),
            fileName: handle.name,
          });
          setRecent(await listRecent(db));
        }
      } catch (e) {
        closeBundle((e as Error).message);
      }
    },
    [openBundle, closeBundle, db, trust, hasPendingLink],
  );
  const openFile = useCallback((file: File) => void open(() => host.openDroppedFile(file)), [host, open]);
  const dragging = useWindowDrop(openFile);

  useEffect(() => host.onOpenRequest((handle) => void open(async () => handle)), [host, open]);

  const changeTrust = useCallback(
    async (next: TrustStore, note: string) => {
      await saveTrustStore(db, next, nowIso());
      const stored = await loadTrustStore(db);
      setTrust(stored);
      setNotice(note);
      if (phase.kind === 'open') await verify(phase.handle, stored);
    },
    [db, phase, verify],
  );

  const trustKey = useCallback(
    async (r: TrustRequest) => {
      try {
        const key = await parsePublicKey(r.pem);
        await changeTrust(
          addTrustedKey(trust, key, { principal: r.principal, roles: r.roles, validUntil: r.validUntil }),
          `Trusted ${r.principal}; the bundle was verified again.`,
        );
      } catch (e) {
        setNotice(`The key could not be trusted: ${(e as Error).message}`);
      }
    },
    [changeTrust, trust],
  );

  const onStepShown = useCallback((s: StepId) => {
    const fragment = stepFragment(s);
    if (location.hash !== fragment) history.replaceState(history.state, '', fragment);
  }, []);

  return (
    <div className={`app${dragging ? ' dragging' : ''}`}>
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ▣
          </span>
          <span className="brand-name">Exhibit</span>
          <span className="brand-sub">evidence bundle review</span>
        </div>
        <div className="top-actions">
          <OpenFileInput className="button-like primary" testId="open-file" onFile={openFile}>
            Open bundle…
          </OpenFileInput>
          <button type="button" onClick={() => setShowTrust((v) => !v)} aria-expanded={showTrust} aria-controls="trust-panel">
            Trust store ({trust.keys.length})
          </button>
          <button type="button" onClick={toggle} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
            {theme === 'dark' ? '☀ Light' : '☾ Dark'}
          </button>
        </div>
      </header>

      <StatusBar phase={phase} onVerifyAgain={(h) => void verify(h, trust)} onClose={() => closeBundle()} />

      {notice ? (
        <p className="notice" role="status">
          {notice}{' '}
          <button type="button" className="linkish" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </p>
      ) : null}

      {showTrust ? (
        <div id="trust-panel" className="trust-wrap">
          <TrustStorePanel store={trust} onChange={changeTrust} host={host} />
        </div>
      ) : null}

      <main className="main">
        {phase.kind === 'start' || phase.kind === 'error' ? (
          <StartScreen
            error={phase.kind === 'error' ? phase.message : null}
            recent={recent}
            onFile={openFile}
            onDemo={() => void open(() => host.openDemoBundle())}
          />
        ) : null}
        {phase.kind === 'verifying' ? <VerifyProgress phase={phase} onCancel={bundle.cancel} /> : null}
        {phase.kind === 'open' ? (
          <TabFrame
            tab={tab}
            onTab={setTab}
            host={host}
            db={db}
            handle={phase.handle}
            report={phase.report}
            model={phase.model}
            session={phase.session}
            observations={bundle.observations}
            step={step}
            onOpenStep={onOpenStep}
            onStepShown={onStepShown}
            onTrust={(r) => void trustKey(r)}
          />
        ) : null}
      </main>
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          Drop the bundle to open it
        </div>
      ) : null}
    </div>
  );
}

/**
 * The URL fragment names a step: `#replay/<run agent>/<sequence>`. Pasted or edited while a
 * bundle with a packet is open, it opens that step; before, it waits for the bundle. Returns
 * whether a link is waiting.
 */
function useStepLinks(agents: ReadonlyArray<{ run_agent_id: string }> | null, onOpenStep: (s: StepId) => void): () => boolean {
  /** A step named by the URL fragment before its bundle was open. */
  const pendingLink = useRef<StepId | null>(parseStepFragment(location.hash));
  useEffect(() => {
    const onHash = () => {
      const link = parseStepFragment(location.hash);
      if (!link) return;
      if (agents) onOpenStep(link);
      else pendingLink.current = link;
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [agents, onOpenStep]);

  useEffect(() => {
    if (!agents || !pendingLink.current) return;
    const link = pendingLink.current;
    pendingLink.current = null;
    if (agents.some((a) => a.run_agent_id === link.runAgentId)) onOpenStep(link);
  }, [agents, onOpenStep]);
  return useCallback(() => pendingLink.current !== null, []);
}

function StatusBar({ phase, onVerifyAgain, onClose }: { phase: Phase; onVerifyAgain: (h: BundleHandle) => void; onClose: () => void }) {
  if (phase.kind !== 'verifying' && phase.kind !== 'open') return null;
  return (
    <div className="status-bar">
      <StatusBadge
        status={phase.kind === 'verifying' ? 'verifying' : phase.report.status}
        detail={phase.kind === 'open' ? phase.report.summary : undefined}
      />
      {phase.kind === 'open' ? (
        <div className="bundle-meta">
          <span className="mono">{phase.report.bundleId ?? phase.handle.name}</span>
          <span className="muted small">
            {phase.handle.name} · {formatBytes(phase.handle.size)}
          </span>
          <button type="button" onClick={() => onVerifyAgain(phase.handle)}>
            Verify again
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      ) : null}
    </div>
  );
}

function VerifyProgress({ phase, onCancel }: { phase: Extract<Phase, { kind: 'verifying' }>; onCancel: () => void }) {
  const { progress } = phase;
  const pct = progress && progress.total > 0 ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : 0;
  return (
    <section className="card progress-card" aria-labelledby="progress-h">
      <h2 id="progress-h">Verifying {phase.handle.name}</h2>
      <progress max={100} value={pct} aria-label="Verification progress" />
      <p className="small">
        {progress ? `${formatBytes(progress.done)} of ${formatBytes(progress.total)} · ${pct}% · ${progress.phase}` : 'Starting…'}
        {progress?.entry ? <span className="mono muted"> · {progress.entry}</span> : null}
      </p>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </section>
  );
}
