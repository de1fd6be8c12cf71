// How each status of spec section 7 is shown, in one table the CLI, the UI and the PDF all
// read: its label, its tone (the one colour family it is painted in everywhere), the
// one-line headline shown beside the label, and the advice a document made from such a
// bundle carries on every page. (The exit codes are STATUS_EXIT_CODE in report.ts.)

import type { BundleStatus, SignatureCheck } from './report';

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
    headline: 'Every file matches its digest and a trusted, current key or identity signed it.',
    advice: null,
  },
  'untrusted-signer': {
    label: 'Untrusted signer',
    tone: 'warn',
    headline: "Signed by a key or identity you do not trust: compare its fingerprint or identity with the signer's, then trust it.",
    advice: 'no trusted key or identity signed this bundle: check the signer\u2019s fingerprint or identity before relying on it.',
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
    headline: 'Signed by a trusted key or identity outside its validity window: ask for a re-signed bundle or check its dates.',
    advice: 'signed by a trusted key or identity outside its validity window: ask for a re-signed bundle.',
  },
  'key-revoked': {
    label: 'Key revoked',
    tone: 'bad',
    headline: 'Signed by a revoked key or identity: do not rely on this bundle; ask the producer for a new one.',
    advice: 'do not rely on this document: it was signed by a revoked key or identity.',
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

/**
 * The headline for `untrusted-signer` when a trusted key (or identity) did sign, but as a
 * role it may not sign (spec 6, role-not-allowed): the general headline's "then trust it"
 * would invite the wrong fix.
 */
const ROLE_NOT_ALLOWED_ADVICE: Readonly<Record<'key' | 'identity', string>> = {
  key: 'signed by a trusted key, but as a role that key may not sign: do not rely on it for that role.',
  identity: 'signed by a trusted identity, but as a role that identity may not sign: do not rely on it for that role.',
};

const ROLE_NOT_ALLOWED_HEADLINE: Readonly<Record<'key' | 'identity', string>> = {
  key: 'Signed by a trusted key, but as a role that key may not sign: ask for a bundle signed by someone trusted for that role.',
  identity:
    'Signed by a trusted identity, but as a role that identity may not sign: ask for a bundle signed by someone trusted for that role.',
};

/**
 * The headline for one report: the status's, except for an untrusted signer whose only
 * trusted signatures were in a role they may not sign. Faces that know the report use this.
 */
export function statusHeadline(report: { status: BundleStatus; signatures: readonly SignatureCheck[] }): string {
  const role = roleNotAllowedSource(report);
  return role ? ROLE_NOT_ALLOWED_HEADLINE[role] : STATUS_TABLE[report.status].headline;
}

/** 'key' or 'identity' when an untrusted signer's only trusted signatures were in roles they may not sign. */
function roleNotAllowedSource(report: { status: BundleStatus; signatures: readonly SignatureCheck[] }): 'key' | 'identity' | null {
  if (report.status !== 'untrusted-signer') return null;
  const role = report.signatures.find((s) => s.math === 'valid' && s.statementMatches === true && s.trust === 'role-not-allowed');
  if (!role) return null;
  return role.keySource === 'certificate' ? 'identity' : 'key';
}

/** The label in capitals, as the CLI and the PDF print it: "UNTRUSTED SIGNER". */
export function statusWord(status: BundleStatus): string {
  return STATUS_TABLE[status].label.toUpperCase();
}

/**
 * The warning a document made from the bundle carries on every page, or null when it needs
 * none; for an untrusted signer whose trusted signatures were in roles they may not sign,
 * it says that, as statusHeadline does.
 */
export function statusBand(report: { status: BundleStatus; signatures: readonly SignatureCheck[] }): string | null {
  const { advice } = STATUS_TABLE[report.status];
  if (advice === null) return null;
  const role = roleNotAllowedSource(report);
  return `${statusWord(report.status)} \u2014 ${role ? ROLE_NOT_ALLOWED_ADVICE[role] : advice}`;
}

/** Each status's headline (the name report.ts has always exported it under). */
export const STATUS_EXPLANATION = Object.fromEntries(Object.entries(STATUS_TABLE).map(([status, p]) => [status, p.headline])) as Readonly<
  Record<BundleStatus, string>
>;
