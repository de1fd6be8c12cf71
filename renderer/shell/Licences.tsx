// The third-party licences, at the foot of the start screen: the notices files the builds
// write (build/notices.ts), read when the reader opens the section, so the licences of the
// code and fonts Exhibit carries travel with every copy and can be read in it. The web
// build has one, beside index.html; the desktop app adds its processes' (the verification
// process carries code the page does not), which its app:// serves by name.
import { useState } from 'react';
import { errorMessage } from '../../shared/platform/errors';
import { DESKTOP_NOTICES, RENDERER_NOTICES } from '../../shared/ipc/notices';

type Shown = { kind: 'closed' } | { kind: 'loading' } | { kind: 'text'; text: string } | { kind: 'failed'; why: string };

async function readNotices(name: string): Promise<string> {
  const response = await fetch(new URL(name, document.baseURI));
  if (!response.ok) throw new Error(`${name} answered ${response.status}`);
  return response.text();
}

/** Every notices file of this build, one after another. */
async function readAll(names: readonly string[]): Promise<string> {
  const texts = await Promise.all(names.map(readNotices));
  return texts.map((t) => t.trimEnd()).join(`\n\n${'='.repeat(78)}\n\n`);
}

/** `desktop`: the desktop app, whose processes' notices are read too. */
export function Licences({ desktop = false }: { desktop?: boolean }) {
  const [shown, setShown] = useState<Shown>({ kind: 'closed' });
  const names = desktop ? [RENDERER_NOTICES, ...DESKTOP_NOTICES] : [RENDERER_NOTICES];
  const onToggle = (open: boolean) => {
    if (!open || shown.kind !== 'closed') return;
    setShown({ kind: 'loading' });
    readAll(names).then(
      (text) => setShown({ kind: 'text', text }),
      (e: unknown) => setShown({ kind: 'failed', why: errorMessage(e) }),
    );
  };
  return (
    <details className="card licences" data-testid="licences" onToggle={(e) => onToggle(e.currentTarget.open)}>
      <summary>Third-party licences</summary>
      {shown.kind === 'text' ? (
        // Focusable, so that a keyboard can scroll it.
        <pre className="small licence-text" tabIndex={0} aria-label="Third-party licences">
          {shown.text}
        </pre>
      ) : shown.kind === 'failed' ? (
        <p className="error">
          The licences could not be read ({shown.why}).{' '}
          {desktop
            ? `They are in ${names.join(', ')}, beside the Exhibit program.`
            : `They are in ${RENDERER_NOTICES}, beside this page's index.html.`}
        </p>
      ) : (
        <p className="muted">Reading {names.join(', ')}…</p>
      )}
    </details>
  );
}
