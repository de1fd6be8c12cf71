// The third-party licences, at the foot of the start screen: the notices file the build
// writes beside index.html (build/notices.ts), read when the reader opens the section, so
// the licences of the code and fonts Exhibit carries travel with every copy and can be read
// in it, in the browser and in the desktop app alike.
import { useState } from 'react';
import { errorMessage } from '../../shared/platform/errors';

/** Where the build puts the notices: beside index.html. */
const NOTICES = 'THIRD-PARTY-NOTICES.txt';

type Shown = { kind: 'closed' } | { kind: 'loading' } | { kind: 'text'; text: string } | { kind: 'failed'; why: string };

async function readNotices(): Promise<string> {
  const response = await fetch(new URL(NOTICES, document.baseURI));
  if (!response.ok) throw new Error(`the file answered ${response.status}`);
  return response.text();
}

export function Licences() {
  const [shown, setShown] = useState<Shown>({ kind: 'closed' });
  const onToggle = (open: boolean) => {
    if (!open || shown.kind !== 'closed') return;
    setShown({ kind: 'loading' });
    readNotices().then(
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
          The licences could not be read ({shown.why}). They are in {NOTICES}, beside this page's index.html.
        </p>
      ) : (
        <p className="muted">Reading {NOTICES}…</p>
      )}
    </details>
  );
}
