// The third-party licences, at the foot of the start screen: the notices files the builds
// write (build/notices.ts), read when the reader opens the section, so the licences of the
// code and fonts Exhibit carries travel with every copy and can be read in it. The web
// build has one, beside index.html; the desktop app adds its processes' (the verification
// process carries code the page does not), which its app:// serves by name.
import { useState } from 'react';
import { errorMessage } from '../../shared/platform/errors';
import { DESKTOP_NOTICES, RENDERER_NOTICES } from '../../shared/ipc/notices';

/** What was read: the texts that could be, and why each other file could not. */
type Read = { text: string; unread: string[] };
type Shown = { kind: 'closed' } | { kind: 'loading' } | ({ kind: 'text' } & Read);

async function readNotices(name: string): Promise<string> {
  const response = await fetch(new URL(name, document.baseURI));
  if (!response.ok) throw new Error(`answered ${response.status}`);
  return response.text();
}

/** Every notices file of this build, one after another; a file that cannot be read leaves the others shown. */
async function readAll(names: readonly string[]): Promise<Read> {
  const results = await Promise.allSettled(names.map(readNotices));
  const texts = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.trimEnd()] : []));
  const unread = results.flatMap((r, i) => (r.status === 'rejected' ? [`${names[i]}: ${errorMessage(r.reason)}`] : []));
  return { text: texts.join(`\n\n${'='.repeat(78)}\n\n`), unread };
}

/** `desktop`: the desktop app, whose processes' notices are read too. */
export function Licences({ desktop = false }: { desktop?: boolean }) {
  const [shown, setShown] = useState<Shown>({ kind: 'closed' });
  const names = desktop ? [RENDERER_NOTICES, ...DESKTOP_NOTICES] : [RENDERER_NOTICES];
  const onToggle = (open: boolean) => {
    if (!open || shown.kind !== 'closed') return;
    setShown({ kind: 'loading' });
    void readAll(names).then((read) => setShown({ kind: 'text', ...read }));
  };
  return (
    <details className="card licences" data-testid="licences" onToggle={(e) => onToggle(e.currentTarget.open)}>
      <summary>Third-party licences</summary>
      {shown.kind === 'text' ? (
        <>
          {shown.unread.length > 0 ? (
            <p className="error" data-testid="licences-unread">
              Not all the licences could be read ({shown.unread.join('; ')}).{' '}
              {desktop ? 'The files are beside the Exhibit program.' : "The file is beside this page's index.html."}
            </p>
          ) : null}
          {shown.text ? (
            // Focusable, so that a keyboard can scroll it.
            <pre className="small licence-text" tabIndex={0} aria-label="Third-party licences">
              {shown.text}
            </pre>
          ) : null}
        </>
      ) : (
        <p className="muted">Reading {names.join(', ')}…</p>
      )}
    </details>
  );
}
