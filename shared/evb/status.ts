// How each status of spec section 7 is shown, in one table the CLI, the UI and the PDF all
// read: its label, its tone (the one colour family it is painted in everywhere), the
// one-line headline shown beside the label, and the advice a document made from such a
// bundle carries on every page. (The exit codes are STATUS_EXIT_CODE in report.ts.)

import type { BundleStatus } from './report';

/** ok: green, warn: amber, bad: red; in the terminal, the UI's CSS and the PDF alike. */
export type StatusTone = 'ok' | 'warn' | 'bad';

interface StatusPresentation {
  /** "Untrusted signer": the UI shows it as written, the CLI and the PDF in capitals (statusWord). */
  label: string;
  tone: StatusTone;
  /** What the status means and what to do, in one line (UI badge, CLI, the PDF's status row). */
  headline: string;
  /**
   * What every page of a document made from such a bundle says after the label (the PDF's
   * band); null when no warning is needed (verified) or no document is made (malformed).
   */
  advice: string | null;
}

export const STATUS_TABLE: Readonly<Record<BundleStatus, StatusPresentation>> = {
  verified: {
    label: 'Verified',
    tone: 'ok',
    headline: 'Every file matches its digest and a trusted, current key signed it.',
    advice: null,
  },
  'untrusted-signer': {
    label: 'Untrusted signer',
    tone: 'warn',
    headline: "Signed by a key you do not trust: compare its fingerprint with the signer's, then trust it.",
    advice: 'no trusted key signed this bundle: check the signer\u2019s fingerprint before relying on it.',
  },
  unsigned: {
    label: 'Unsigned',
    tone: 'warn',
    headline: 'The files are intact but nobody signed them: ask the producer for a signed bundle.',
    advice: 'nobody signed this bundle: do not rely on it as signed evidence.',
  },
  'key-expired': {
    label: 'Key expired',
    tone: 'warn',
    headline: 'Signed by a trusted key outside its validity window: ask for a re-signed bundle or check the key dates.',
    advice: 'signed by a trusted key outside its validity window: ask for a re-signed bundle.',
  },
  'key-revoked': {
    label: 'Key revoked',
    tone: 'bad',
    headline: 'Signed by a revoked key: do not rely on this bundle; ask the producer for a new one.',
    advice: 'do not rely on this document: it was signed by a revoked key.',
  },
  tampered: {
    label: 'Tampered',
    tone: 'bad',
    headline: 'Content does not match what was signed or listed: do not rely on this bundle.',
    advice: 'do not rely on this document: the bundle does not match what was signed or listed.',
  },
  malformed: {
    label: 'Malformed',
    tone: 'bad',
    headline: 'This is not a well-formed evidence bundle: it cannot be read; see the findings.',
    advice: null,
  },
};

/** The label in capitals, as the CLI and the PDF print it: "UNTRUSTED SIGNER". */
export function statusWord(status: BundleStatus): string {
  return STATUS_TABLE[status].label.toUpperCase();
}

/** The warning a document made from the bundle carries on every page, or null when it needs none. */
export function statusBand(status: BundleStatus): string | null {
  const { advice } = STATUS_TABLE[status];
  return advice === null ? null : `${statusWord(status)} \u2014 ${advice}`;
}

/** Each status's headline (the name report.ts has always exported it under). */
export const STATUS_EXPLANATION = Object.fromEntries(Object.entries(STATUS_TABLE).map(([status, p]) => [status, p.headline])) as Readonly<
  Record<BundleStatus, string>
>;
