// The start screen: an error from the last attempt, how to open a bundle (file, demo, drop),
// and the bundles opened before (title, id and status only; never a copy of the file), and
// at its foot the third-party licences.
import type { RecentBundle } from '../db';
import { canReopen } from '../recent-open';
import { OpenFileInput } from './OpenFileInput';
import type { OnFile } from './OpenFileInput';
import { Licences } from './Licences';

export function StartScreen({
  error,
  recent,
  onFile,
  keepHandle,
  desktop,
  onDemo,
  onReopen,
}: {
  error: string | null;
  recent: RecentBundle[];
  onFile: OnFile;
  /** Choose files with the handle picker where the browser has one (the web build). */
  keepHandle: boolean;
  /** The desktop app: its licences include its processes'. */
  desktop: boolean;
  onDemo: () => void;
  onReopen: (r: RecentBundle) => void;
}) {
  return (
    <div className="start">
      {error !== null ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <section className="card start-hero" aria-labelledby="start-h">
        <h1 id="start-h">Review an evidence bundle</h1>
        <p>
          Open a signed <code>.evb</code> evidence bundle about an AI agent release decision. Exhibit checks every file digest and signature
          on this machine; nothing leaves it.
        </p>
        <div className="actions">
          <OpenFileInput className="button-like primary big" onFile={onFile} keepHandle={keepHandle}>
            Choose a bundle…
          </OpenFileInput>
          <button type="button" className="big" data-testid="open-demo" onClick={onDemo}>
            Open the demo bundle
          </button>
        </div>
        <p className="muted small">…or drop a bundle anywhere on this window.</p>
      </section>
      <RecentBundles recent={recent} onReopen={onReopen} />
      <Licences desktop={desktop} />
    </div>
  );
}

function RecentBundles({ recent, onReopen }: { recent: RecentBundle[]; onReopen: (r: RecentBundle) => void }) {
  return (
    <section className="card" aria-labelledby="recent-h">
      <h2 id="recent-h">Recent bundles</h2>
      {recent.length === 0 ? (
        <p className="muted">None yet. Exhibit remembers the title, id and status of what you open, never a copy of the file.</p>
      ) : (
        <>
          <p className="muted small">
            A bundle reopens on click where Exhibit could keep the way back to the file (a browser asks to read it again); the others say to
            open the file again. Exhibit keeps no copy.
          </p>
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
                  <th scope="row">
                    {canReopen(r) ? (
                      <button type="button" className="linkish" onClick={() => onReopen(r)} data-testid="reopen">
                        {r.title ?? 'untitled'}
                      </button>
                    ) : (
                      <>
                        {r.title ?? <span className="missing">untitled</span>}
                        <span className="muted small"> · open the file again to reopen it</span>
                      </>
                    )}
                  </th>
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
  );
}
