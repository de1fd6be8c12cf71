// The app shell: header with the open-file control and the status badge, the start screen,
// progress while verifying, and the tabs over an opened bundle.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { BundleHandle, HostApi } from '../shared/ipc/host-api';
import type { VerificationReport } from '../shared/evb/report';
import type { Progress } from '../shared/platform/ports';
import type { TrustStore } from '../shared/evb/crypto-types';
import type { Packet } from '../shared/model/packet-types';
import { parsePublicKey } from '../shared/evb/keys';
import { addTrustedKey } from '../shared/evb/trust';
import type { ExhibitDb, RecentBundle } from './db';
import { listRecent, loadTrustStore, rememberRecent, saveTrustStore } from './db';
import { StatusBadge, ContentLabel } from './components/StatusBadge';
import { TrustStorePanel } from './components/TrustStorePanel';
import { Overview } from './views/Overview';
import { Security } from './views/Security';
import { Compliance } from './views/Compliance';
import { Engineering } from './views/Engineering';
import { Finance } from './views/Finance';
import { Findings, Integrity } from './views/Integrity';
import type { TrustRequest } from './views/Integrity';
import { ReplayTab } from './replay/ReplayTab';
import { ReplaySession } from './replay/session';
import { parseStepFragment, stepFragment } from './replay/format';
import { formatBytes } from './format';
import { useTheme } from './theme';
import { loadObservations } from './observations';
import type { ReplayObservations } from '../shared/model/observations';

const TABS = ['Overview', 'Security', 'Compliance', 'Engineering', 'Finance', 'Integrity', 'Replay'] as const;
type Tab = (typeof TABS)[number];

type Phase =
  | { kind: 'start' }
  | { kind: 'verifying'; handle: BundleHandle; progress: Progress | null }
  | { kind: 'open'; handle: BundleHandle; report: VerificationReport; packet: Packet | null; packetError: string | null }
  | { kind: 'error'; message: string };

function nowIso(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

async function readPacket(
  host: HostApi,
  handle: BundleHandle,
  report: VerificationReport,
): Promise<{ packet: Packet | null; error: string | null }> {
  if (report.status === 'malformed') return { packet: null, error: null };
  if (report.findings.some((f) => f.layer === 'packet' && f.severity !== 'warning')) {
    return { packet: null, error: 'data/packet.json is not a valid approval packet; see the findings on the Integrity tab.' };
  }
  try {
    const bytes = await host.readEntry(handle, 'data/packet.json', 64 * 1024 * 1024);
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { packet: null, error: 'data/packet.json is not a JSON object.' };
    return { packet: value as Packet, error: null };
  } catch (e) {
    return { packet: null, error: `data/packet.json could not be read: ${(e as Error).message}` };
  }
}

export function App({ host, db }: { host: HostApi; db: ExhibitDb }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'start' });
  const [tab, setTab] = useState<Tab>('Overview');
  const [trust, setTrust] = useState<TrustStore>({ keys: [] });
  const [recent, setRecent] = useState<RecentBundle[]>([]);
  const [showTrust, setShowTrust] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [step, setStep] = useState<{ runAgentId: string; seq: number; token: number } | null>(null);
  const stepToken = useRef(1);
  /** A step named by the URL fragment before its bundle was open. */
  const pendingLink = useRef(parseStepFragment(location.hash));
  const [notice, setNotice] = useState<string | null>(null);
  const [observations, setObservations] = useState<ReplayObservations | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const trustRef = useRef(trust);
  trustRef.current = trust;
  const { theme, toggle } = useTheme();
  const openHandleId = phase.kind === 'open' ? phase.handle.id : null;
  const openPacket = phase.kind === 'open' ? phase.packet : null;
  const openReport = phase.kind === 'open' ? phase.report : null;
  const session = useMemo(
    () =>
      phase.kind === 'open' && phase.packet && phase.report.status !== 'malformed'
        ? new ReplaySession(host, phase.handle, phase.packet, phase.report)
        : null,
    // One session per opened bundle and verification.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [host, openHandleId, openPacket, openReport],
  );
  useEffect(() => () => session?.close(), [session]);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);

  useEffect(() => {
    void loadTrustStore(db).then(setTrust);
    void listRecent(db).then(setRecent);
  }, [db]);

  const verify = useCallback(
    async (handle: BundleHandle, store: TrustStore) => {
      abortRef.current?.abort();
      const controller = new AbortController();
      abortRef.current = controller;
      setPhase({ kind: 'verifying', handle, progress: null });
      try {
        const report = await host.verify(
          handle,
          { trust: store },
          (progress) => {
            if (!controller.signal.aborted) setPhase({ kind: 'verifying', handle, progress });
          },
          controller.signal,
        );
        if (controller.signal.aborted) return;
        const { packet, error } = await readPacket(host, handle, report);
        if (controller.signal.aborted) return;
        setObservations(null);
        setPhase({ kind: 'open', handle, report, packet, packetError: error });
        if (packet) {
          void loadObservations(host, handle, packet, report)
            .then((o) => {
              if (!controller.signal.aborted) setObservations(o);
            })
            .catch(() => undefined);
        }
        if (report.status === 'malformed') setTab('Integrity');
        if (report.fileSha256) {
          await rememberRecent(db, {
            fileSha256: report.fileSha256,
            title: packet?.title ?? null,
            bundleId: report.bundleId,
            status: report.status,
            openedAt: nowIso(),
            fileName: handle.name,
          });
          setRecent(await listRecent(db));
        }
      } catch (e) {
        if (controller.signal.aborted || (e as { code?: string }).code === 'cancelled') {
          setPhase({ kind: 'start' });
          setNotice('Verification cancelled.');
          void host.closeBundle(handle).catch(() => undefined);
          return;
        }
        setPhase({ kind: 'error', message: (e as Error).message });
      }
    },
    [host, db],
  );

  const open = useCallback(
    async (get: () => Promise<BundleHandle | null>) => {
      setNotice(null);
      try {
        const handle = await get();
        if (!handle) return;
        if (phase.kind === 'open') void host.closeBundle(phase.handle).catch(() => undefined);
        setTab('Overview');
        setStep(null);
        // A link to a step of the bundle that was open no longer applies.
        if (!pendingLink.current && location.hash) history.replaceState(history.state, '', location.pathname + location.search);
        await verify(handle, trustRef.current);
      } catch (e) {
        setPhase({ kind: 'error', message: (e as Error).message });
      }
    },
    [host, verify, phase],
  );

  // Drag and drop anywhere on the window.
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
      if (file) void open(() => host.openDroppedFile(file));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [host, open]);

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
          addTrustedKey(trustRef.current, key, { principal: r.principal, roles: r.roles, validUntil: r.validUntil }),
          `Trusted ${r.principal}; the bundle was verified again.`,
        );
      } catch (e) {
        setNotice(`The key could not be trusted: ${(e as Error).message}`);
      }
    },
    [changeTrust],
  );

  const onOpenStep = useCallback((runAgentId: string, seq: number) => {
    setStep({ runAgentId, seq, token: stepToken.current++ });
    setTab('Replay');
  }, []);

  // The URL fragment names a step: `#replay/<run agent>/<sequence>`. Pasted or edited
  // while a bundle is open, it opens that step; before, it waits for the bundle.
  useEffect(() => {
    const onHash = () => {
      const link = parseStepFragment(location.hash);
      if (!link) return;
      if (phase.kind === 'open' && phase.packet) onOpenStep(link.runAgentId, link.seq);
      else pendingLink.current = link;
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [phase, onOpenStep]);

  useEffect(() => {
    if (phase.kind !== 'open' || !phase.packet || !pendingLink.current) return;
    const link = pendingLink.current;
    pendingLink.current = null;
    if (phase.packet.agents.some((a) => a.run_agent_id === link.runAgentId)) onOpenStep(link.runAgentId, link.seq);
  }, [phase, onOpenStep]);

  const onStepShown = useCallback((runAgentId: string, seq: number) => {
    const fragment = stepFragment(runAgentId, seq);
    if (location.hash !== fragment) history.replaceState(history.state, '', fragment);
  }, []);

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next >= 0) {
      e.preventDefault();
      setTab(TABS[next]!);
      tabRefs.current[next]?.focus();
    }
  };

  const status = phase.kind === 'verifying' ? 'verifying' : phase.kind === 'open' ? phase.report.status : null;

  const body = useMemo(() => {
    if (phase.kind !== 'open') return null;
    const { report, packet, handle } = phase;
    const needsPacket = tab !== 'Integrity';
    if (report.status === 'malformed') {
      return (
        <div className="view">
          <Findings report={report} />
        </div>
      );
    }
    if (needsPacket && !packet) {
      return (
        <div className="view">
          <p className="error" role="alert">
            {phase.packetError ?? 'The packet could not be read.'}
          </p>
          <Findings report={report} />
        </div>
      );
    }
    const props = { packet: packet!, report, host, handle, db, onOpenStep, observations };
    switch (tab) {
      case 'Overview':
        return <Overview {...props} />;
      case 'Security':
        return <Security {...props} />;
      case 'Compliance':
        return <Compliance {...props} />;
      case 'Engineering':
        return <Engineering {...props} />;
      case 'Finance':
        return <Finance {...props} />;
      case 'Integrity':
        return <Integrity report={report} onTrust={(r) => void trustKey(r)} />;
      case 'Replay':
        return session ? (
          <ReplayTab
            session={session}
            packet={packet!}
            db={db}
            bundleSha256={report.fileSha256 ?? null}
            step={step}
            onStepShown={onStepShown}
          />
        ) : null;
    }
  }, [phase, tab, host, db, onOpenStep, trustKey, step, observations, session, onStepShown]);

  const progress = phase.kind === 'verifying' ? phase.progress : null;
  const pct = progress && progress.total > 0 ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : 0;
  const visibleTabs = phase.kind === 'open' && phase.report.status === 'malformed' ? (['Integrity'] as const) : TABS;

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
          <label className="button-like primary">
            Open bundle…
            <input
              type="file"
              className="sr-only"
              accept=".evb,application/vnd.exhibit.evidence-bundle+zip,application/zip"
              data-testid="open-file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void open(() => host.openDroppedFile(file));
              }}
            />
          </label>
          <button type="button" onClick={() => setShowTrust((v) => !v)} aria-expanded={showTrust} aria-controls="trust-panel">
            Trust store ({trust.keys.length})
          </button>
          <button type="button" onClick={toggle} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
            {theme === 'dark' ? '☀ Light' : '☾ Dark'}
          </button>
        </div>
      </header>

      {status ? (
        <div className="status-bar">
          <StatusBadge status={status} detail={phase.kind === 'open' ? phase.report.summary : undefined} />
          {phase.kind === 'open' ? (
            <div className="bundle-meta">
              <span className="mono">{phase.report.bundleId ?? phase.handle.name}</span>
              <span className="muted small">
                {phase.handle.name} · {formatBytes(phase.handle.size)}
              </span>
              <button type="button" onClick={() => void verify(phase.handle, trustRef.current)}>
                Verify again
              </button>
              <button
                type="button"
                onClick={() => {
                  void host.closeBundle(phase.handle).catch(() => undefined);
                  setPhase({ kind: 'start' });
                }}
              >
                Close
              </button>
            </div>
          ) : null}
        </div>
      ) : null}

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
          <div className="start">
            {phase.kind === 'error' ? (
              <p className="error" role="alert">
                {phase.message}
              </p>
            ) : null}
            <section className="card start-hero" aria-labelledby="start-h">
              <h1 id="start-h">Review an evidence bundle</h1>
              <p>
                Open a signed <code>.evb</code> evidence bundle about an AI agent release decision. Exhibit checks every file digest and
                signature on this machine; nothing leaves it.
              </p>
              <div className="actions">
                <label className="button-like primary big">
                  Choose a bundle…
                  <input
                    type="file"
                    className="sr-only"
                    accept=".evb,application/vnd.exhibit.evidence-bundle+zip,application/zip"
                    onChange={(e) => {
                      const file = e.target.files?.[0];
                      e.target.value = '';
                      if (file) void open(() => host.openDroppedFile(file));
                    }}
                  />
                </label>
                <button type="button" className="big" data-testid="open-demo" onClick={() => void open(() => host.openDemoBundle())}>
                  Open the demo bundle
                </button>
              </div>
              <p className="muted small">…or drop a bundle anywhere on this window.</p>
            </section>
            <section className="card" aria-labelledby="recent-h">
              <h2 id="recent-h">Recent bundles</h2>
              {recent.length === 0 ? (
                <p className="muted">None yet. Exhibit remembers the title, id and status of what you open, never a copy of the file.</p>
              ) : (
                <>
                  <p className="muted small">To reopen a bundle, choose its file again; Exhibit keeps no copy.</p>
                  <table className="data" data-testid="recent">
                    <caption className="sr-only">Recently opened bundles</caption>
                    <thead>
                      <tr>
                        <th scope="col">Title</th>
                        <th scope="col">Bundle id</th>
                        <th scope="col">Status</th>
                        <th scope="col">Opened</th>
                        <th scope="col">File</th>
                      </tr>
                    </thead>
                    <tbody>
                      {recent.map((r) => (
                        <tr key={r.fileSha256}>
                          <th scope="row">{r.title ?? <span className="missing">untitled</span>}</th>
                          <td className="mono small">{r.bundleId ?? '—'}</td>
                          <td>
                            <span className={`pill pill-status-${r.status}`}>{r.status}</span>
                          </td>
                          <td className="small">{r.openedAt}</td>
                          <td className="small mono" title={r.fileSha256}>
                            {r.fileName}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
            </section>
          </div>
        ) : null}

        {phase.kind === 'verifying' ? (
          <section className="card progress-card" aria-labelledby="progress-h">
            <h2 id="progress-h">Verifying {phase.handle.name}</h2>
            <progress max={100} value={pct} aria-label="Verification progress" />
            <p className="small">
              {progress ? `${formatBytes(progress.done)} of ${formatBytes(progress.total)} · ${pct}% · ${progress.phase}` : 'Starting…'}
              {progress?.entry ? <span className="mono muted"> · {progress.entry}</span> : null}
            </p>
            <button type="button" onClick={() => abortRef.current?.abort()}>
              Cancel
            </button>
          </section>
        ) : null}

        {phase.kind === 'open' ? (
          <>
            <div className="tabs" role="tablist" aria-label="Views of the bundle">
              {visibleTabs.map((t, i) => (
                <button
                  key={t}
                  ref={(el) => {
                    tabRefs.current[i] = el;
                  }}
                  role="tab"
                  type="button"
                  id={`tab-${t}`}
                  aria-selected={tab === t}
                  aria-controls={`panel-${t}`}
                  tabIndex={tab === t ? 0 : -1}
                  onClick={() => setTab(t)}
                  onKeyDown={(e) => onTabKey(e, i)}
                >
                  {t}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel" tabIndex={0}>
              <ContentLabel status={phase.report.status} />
              {body}
            </div>
          </>
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
