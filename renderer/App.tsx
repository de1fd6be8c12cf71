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
import { SignaturePanel } from './components/SignaturePanel';
import { TrustStorePanel } from './components/TrustStorePanel';
import { VerifyProgress } from './components/VerifyProgress';
import type { TrustRequest } from './views/Integrity';
import type { StepId, StepRequest } from './replay/format';
import { parseStepFragment, stepFragment } from './replay/format';
import { ReplayIndexStatus } from './replay/ReplayIndexStatus';
import { fileHead, notABundle } from './bundle-sniff';
import { handleFromDrop, reopenRow } from './recent-open';
import type { ReopenHandle } from './recent-open';
import { WaitingLink } from './replay/WaitingLink';
import { useTheme } from './theme';
import { useBundleSession } from './useBundleSession';
import type { Opened } from './useBundleSession';
import { FileHashContext } from './components/FileSha256';
import { OpenFileInput } from './shell/OpenFileInput';
import type { OnFile } from './shell/OpenFileInput';
import { StartScreen } from './shell/StartScreen';
import { StatusStrip } from './shell/StatusStrip';
import { TabFrame } from './shell/TabFrame';
import type { Tab } from './shell/TabFrame';

function nowIso(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The trust store (kept in the database), changed by the trust panel or by trusting a signature's key; the bundle is verified again. */
function useTrust(db: ExhibitDb, reverify: (stored: TrustStore) => unknown, setNotice: (text: string) => void) {
  const [trust, setTrust] = useState<TrustStore>({ keys: [] });
  useEffect(() => {
    void loadTrustStore(db).then(setTrust);
  }, [db]);
  const changeTrust = useCallback(
    async (next: TrustStore, note: string) => {
      await saveTrustStore(db, next, nowIso());
      const stored = await loadTrustStore(db);
      setTrust(stored);
      setNotice(note);
      await reverify(stored);
    },
    [db, reverify, setNotice],
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
    [changeTrust, trust, setNotice],
  );

  return { trust, changeTrust, trustKey };
}

/** The bundles opened before (title, id and status; never the file), and remembering one more. */
function useRecent(db: ExhibitDb) {
  const [recent, setRecent] = useState<RecentBundle[]>([]);
  useEffect(() => {
    void listRecent(db).then(setRecent);
  }, [db]);
  const remember = useCallback(
    async (handle: BundleHandle, { report, model, fileSha256 }: Opened, fileHandle: ReopenHandle | null) => {
      // Recent bundles are keyed by the file's SHA-256, which the web build computes after the status.
      const sha = await fileSha256;
      if (!sha) return;
      await rememberRecent(db, {
        fileSha256: sha,
        title: model.ok ? model.packet.title : null,
        bundleId: report.bundleId,
        status: report.status,
        openedAt: nowIso(),
        fileName: handle.name,
        handle: fileHandle,
        reopenToken: handle.reopenToken ?? null,
      });
      setRecent(await listRecent(db));
    },
    [db],
  );
  return { recent, remember };
}

/** Puts the open step in the URL fragment, so the address links to it. */
function showStepInUrl(s: StepId): void {
  const fragment = stepFragment(s);
  if (location.hash !== fragment) history.replaceState(history.state, '', fragment);
}

/** Sets `dragging` while files are dragged over the window; opens the file dropped. */
function useWindowDrop(onFile: (file: File, handle: Promise<ReopenHandle | null>) => void): boolean {
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
      if (file) onFile(file, handleFromDrop(e));
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

/** Over 80 lines with its JSX: the window's frame (header, status, notice, trust panel, main) read in one place; the logic is in the hooks. */
export function App({ host, db }: { host: HostApi; db: ExhibitDb }) {
  const [tab, setTab] = useState<Tab>('Overview');
  const [showTrust, setShowTrust] = useState(false);
  const [showSignatures, setShowSignatures] = useState(false);
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
  const { hasPendingLink, waitingLink } = useStepLinks(openModel?.packet.agents ?? null, onOpenStep);

  const reverify = useCallback((stored: TrustStore) => (phase.kind === 'open' ? verify(phase.handle, stored) : null), [phase, verify]);
  const { trust, changeTrust, trustKey } = useTrust(db, reverify, setNotice);
  const { recent, remember } = useRecent(db);

  const open = useCallback(
    async (get: () => Promise<BundleHandle | null>, fileHandle: Promise<ReopenHandle | null> = Promise.resolve(null)) => {
      setNotice(null);
      try {
        const handle = await get();
        if (!handle) return;
        setTab('Overview');
        setStep(null);
        setShowSignatures(false);
        // A link to a step of the bundle that was open no longer applies.
        if (!hasPendingLink() && location.hash) history.replaceState(history.state, '', location.pathname + location.search);
        const opened = await openBundle(handle, trust);
        if (!opened) return;
        if (opened.report.status === 'malformed') setTab('Integrity');
        await remember(handle, opened, await fileHandle);
      } catch (e) {
        closeBundle((e as Error).message);
      }
    },
    [openBundle, closeBundle, remember, trust, hasPendingLink],
  );
  const openFile = useCallback(
    (file: File, fileHandle?: Promise<ReopenHandle | null>) =>
      void fileHead(file).then((head) => {
        // A PNG or any other non-zip is refused here: never verified, never listed as a malformed bundle.
        const refused = notABundle(head, file.name);
        if (refused) setNotice(refused);
        else void open(() => host.openDroppedFile(file), fileHandle);
      }),
    [host, open],
  );
  const dragging = useWindowDrop(openFile);

  useEffect(() => host.onOpenRequest((handle) => void open(async () => handle)), [host, open]);

  const status = phase.kind === 'open' ? phase.report.status : null;
  return (
    <div
      className={`app${dragging ? ' dragging' : ''}`}
      data-bundle-status={status ?? 'none'}
      data-verified={status === null ? 'none' : String(status === 'verified')}
      data-file-hash={phase.kind === 'open' ? phase.fileHash.kind : 'none'}
    >
      <div className="app-head">
        <TopBar
          trustKeys={trust.keys.length}
          showTrust={showTrust}
          onToggleTrust={() => setShowTrust((v) => !v)}
          theme={theme}
          onToggleTheme={toggle}
          onFile={openFile}
          keepHandle={host.kind === 'browser'}
        />
        <StatusStrip
          phase={phase}
          signaturesOpen={showSignatures}
          onSignatures={() => setShowSignatures((v) => !v)}
          onVerifyAgain={(h) => void verify(h, trust)}
          onClose={() => {
            setShowSignatures(false);
            closeBundle();
          }}
        />
        {notice ? <Notice text={notice} onDismiss={() => setNotice(null)} /> : null}
        {phase.kind === 'open' ? <ReplayIndexStatus session={phase.session} /> : null}
        {waitingLink ? <WaitingLink link={waitingLink} /> : null}
      </div>

      <div className="app-body">
        <main className="main-scroll" data-testid="main-scroll">
          {showTrust ? (
            <div id="trust-panel" className="trust-wrap">
              <TrustStorePanel store={trust} onChange={changeTrust} host={host} />
            </div>
          ) : null}
          <div className="main">
            {phase.kind === 'start' || phase.kind === 'error' ? (
              <StartScreen
                error={phase.kind === 'error' ? phase.message : null}
                recent={recent}
                onReopen={(r) =>
                  void reopenRow(r, {
                    byToken: (token) => void open(() => host.reopenRecent(token)),
                    byFile: (file, fileHandle) => openFile(file, Promise.resolve(fileHandle)),
                    cannot: setNotice,
                  })
                }
                onFile={openFile}
                keepHandle={host.kind === 'browser'}
                desktop={host.kind === 'electron'}
                onDemo={() => void open(() => host.openDemoBundle())}
              />
            ) : null}
            {phase.kind === 'verifying' ? <VerifyProgress phase={phase} onCancel={bundle.cancel} /> : null}
            {phase.kind === 'open' ? (
              <FileHashContext.Provider value={phase.fileHash}>
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
                  onStepShown={showStepInUrl}
                  onTrust={(r) => void trustKey(r)}
                />
              </FileHashContext.Provider>
            ) : null}
          </div>
        </main>
        {showSignatures && phase.kind === 'open' ? (
          <SignaturePanel
            report={phase.report}
            packet={phase.model.ok ? phase.model.packet : null}
            onClose={() => setShowSignatures(false)}
          />
        ) : null}
      </div>
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
function useStepLinks(agents: ReadonlyArray<{ run_agent_id: string }> | null, onOpenStep: (s: StepId) => void) {
  /** A step named by the URL fragment before its bundle was open. */
  const pendingLink = useRef<StepId | null>(parseStepFragment(location.hash));
  const [waitingLink, setWaitingLink] = useState<StepId | null>(() => parseStepFragment(location.hash));
  useEffect(() => {
    const onHash = () => {
      const link = parseStepFragment(location.hash);
      if (!link) return;
      if (agents) onOpenStep(link);
      else setWaitingLink((pendingLink.current = link));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [agents, onOpenStep]);

  useEffect(() => {
    if (!agents || !pendingLink.current) return;
    const link = pendingLink.current;
    pendingLink.current = null;
    setWaitingLink(null);
    // An agent the bundle does not have is said so on the Replay tab.
    onOpenStep(link);
  }, [agents, onOpenStep]);
  const hasPendingLink = useCallback(() => pendingLink.current !== null, []);
  return { hasPendingLink, waitingLink };
}

function TopBar(props: {
  trustKeys: number;
  showTrust: boolean;
  onToggleTrust: () => void;
  theme: string;
  onToggleTheme: () => void;
  onFile: OnFile;
  keepHandle: boolean;
}) {
  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden="true">
          ▣
        </span>
        <h1 className="brand-name">Exhibit</h1>
        <span className="brand-sub">evidence bundle review</span>
      </div>
      <div className="top-actions">
        <OpenFileInput className="button-like primary" testId="open-file" onFile={props.onFile} keepHandle={props.keepHandle}>
          Open bundle…
        </OpenFileInput>
        <button type="button" onClick={props.onToggleTrust} aria-expanded={props.showTrust} aria-controls="trust-panel">
          Trust store ({props.trustKeys})
        </button>
        <button type="button" onClick={props.onToggleTheme} aria-label={`Switch to ${props.theme === 'dark' ? 'light' : 'dark'} theme`}>
          {props.theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
      </div>
    </header>
  );
}

function Notice({ text, onDismiss }: { text: string; onDismiss: () => void }) {
  return (
    <p className="notice" role="status">
      {text}{' '}
      <button type="button" className="linkish" onClick={onDismiss}>
        Dismiss
      </button>
    </p>
  );
}
