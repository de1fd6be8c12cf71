// The open bundle's whole-file SHA-256 as the views show it. The web build decides the
// status without it and hashes the file after (shared/ipc/following-digest.ts), so for a
// second or two it is being computed; where it could not be computed, the view says why.
// It keys the recent list and the reviewer's notes, and the PDF names it, so those wait for it.
import { createContext, useContext } from 'react';
import type { VerificationReport } from '../../shared/evb/report';
import { Missing } from './common';

/** Where the open bundle's file SHA-256 is: in its report, being computed, or not computed and why. */
export type FileHashState = { kind: 'in-report' } | { kind: 'hashing'; done: number; total: number } | { kind: 'failed'; message: string };

export const FileHashContext = createContext<FileHashState>({ kind: 'in-report' });

/** The share hashed, in whole percent, never 100 before the digest is in. */
export function hashedPercent(state: { done: number; total: number }): number {
  if (state.total <= 0) return 0;
  return Math.min(99, Math.floor((state.done / state.total) * 100));
}

export function FileSha256({ report }: { report: VerificationReport }) {
  const state = useContext(FileHashContext);
  if (report.fileSha256) return <code className="digest">{report.fileSha256}</code>;
  if (state.kind === 'hashing')
    return (
      <span className="muted" data-testid="file-sha256-hashing">
        being computed ({hashedPercent(state)}%): the status above does not depend on it
      </span>
    );
  if (state.kind === 'failed') return <Missing what={`not computed: ${state.message}`} />;
  return <Missing what="not computed" />;
}

/** In place of the reviewer's notes while the file's SHA-256, which keys them, is not known. */
export function NotesWaitForFileSha256() {
  const state = useContext(FileHashContext);
  const why = state.kind === 'failed' ? 'which could not be computed (see Integrity)' : 'which is being computed';
  return (
    <p className="muted small" data-testid="notes-wait">
      Your notes on this bundle are kept under the file&apos;s SHA-256, {why}.
    </p>
  );
}
