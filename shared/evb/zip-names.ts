// Entry-name rules of EVB/1 spec section 1, for the strict zip reader (zip.ts).

import type { Finding } from './report';
import { decodeUtf8, problem, quoteEntry } from './zip-fields';

const FLAG_UTF8 = 0x0800;

/** What `decodeName` makes of a header's name bytes. */
export interface DecodedName {
  /** The name; where the bytes are not UTF-8, a lossy decoding for messages only. */
  name: string;
  /** Set when the bytes break the encoding rule. */
  problem: Finding | null;
}

const lossy = new TextDecoder('utf-8');
/** ASCII names up to this long are made into strings directly (cheaper than a decoder call). */
const SHORT_NAME = 1024;

/** UTF-8 (flag bit 11 set, or pure ASCII); invalid UTF-8 is malformed either way. */
export function decodeName(bytes: Uint8Array, flags: number, index: number): DecodedName {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii)
    return {
      name: bytes.length <= SHORT_NAME ? String.fromCharCode.apply(null, bytes as unknown as number[]) : lossy.decode(bytes),
      problem: null,
    };
  const strict = decodeUtf8(bytes);
  const name = strict ?? lossy.decode(bytes);
  if (!(flags & FLAG_UTF8)) {
    return {
      name,
      problem: problem(
        'zip-name-encoding',
        `${quoteEntry(name)} (central record ${index + 1}): the name has non-ASCII bytes but is not flagged UTF-8 (general-purpose bit 11), so readers would decode it differently.`,
        name,
      ),
    };
  }
  if (strict === null)
    return {
      name,
      problem: problem(
        'zip-name-encoding',
        `${quoteEntry(name)} (central record ${index + 1}): the name is flagged UTF-8 but its bytes are not valid UTF-8.`,
        name,
      ),
    };
  return { name, problem: null };
}

/** Names made only of these need no Unicode work (the common case). */
const SAFE_ASCII_NAME = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*\/?$/;
/** A "." or ".." segment, in a name SAFE_ASCII_NAME accepts (a directory's "/" may end it). */
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/**
 * A "." or ".." segment in a "/"-separated name without empty segments (a trailing "/"
 * aside): the same answer as splitting at "/", without the split.
 */
export function hasDotSegment(name: string): boolean {
  return DOT_SEGMENT.test(name);
}

/**
 * A segment a Windows reader would alias (spec 1): ending in "." or a space, holding
 * : * ? " < > |, or whose stem (before its first ".", trailing spaces aside) is a reserved
 * device name. A directory's trailing "/" ends no segment of its own.
 */
const WINDOWS_ALIAS = /[. ](?:\/|$)|[:*?"<>|]|(?:^|\/)(?:con|prn|aux|nul|com[1-9]|lpt[1-9]) *(?:\.[^/]*)?(?:\/|$)/i;

function windowsAlias(name: string): Finding {
  return problem(
    'zip-name-windows',
    `${quoteEntry(name)}: Windows would read the name as another (a segment ending in "." or a space, holding one of : * ? " < > |, or a reserved device name such as CON, NUL, COM1 or LPT1); bundles refuse such names.`,
    name,
  );
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Spec section 1 rules for one entry name: no C0/C1 control character or DEL, relative
 * (no leading "/", no drive letter), "/"-separated (no "\"), no empty, "." or ".." segment
 * (a directory's one trailing "/" aside), Unicode NFC, nothing a Windows reader would alias.
 */
export function checkEntryName(name: string, isDirectory: boolean): Finding | null {
  if (SAFE_ASCII_NAME.test(name)) {
    if (hasDotSegment(name))
      return problem('zip-name-segment', `${quoteEntry(name)}: the name has a "." or ".." segment (path traversal).`, name);
    return WINDOWS_ALIAS.test(name) ? windowsAlias(name) : null;
  }
  if (name.length === 0)
    return problem('zip-name-segment', 'An entry has an empty name; every entry needs a relative path under the bundle directory.', name);
  if (CONTROL.test(name))
    return problem('zip-name-control', `${quoteEntry(name)}: the name holds a NUL or another control character.`, name);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
    return problem(
      'zip-name-absolute',
      `${quoteEntry(name)}: the name is absolute (a leading "/" or a drive letter); names must be relative.`,
      name,
    );
  if (name.includes('\\')) {
    const climbs = name.split(/[\\/]/).includes('..');
    return problem(
      'zip-name-backslash',
      `${quoteEntry(name)}: the name holds "\\"; names are "/"-separated, and Windows readers would take it as a separator${climbs ? ', which makes its ".." segments climb out of the extraction folder (path traversal)' : ''}.`,
      name,
    );
  }
  const segments = (isDirectory ? name.slice(0, -1) : name).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..'))
    return problem(
      'zip-name-segment',
      `${quoteEntry(name)}: the name has an empty, "." or ".." segment (path traversal or an ambiguous path).`,
      name,
    );
  if (name !== name.normalize('NFC'))
    return problem('zip-name-not-nfc', `${quoteEntry(name)}: the name is not in Unicode NFC (precomposed) form.`, name);
  return WINDOWS_ALIAS.test(name) ? windowsAlias(name) : null;
}

/**
 * The key two names collide under: NFC, then case folding, without a directory's trailing
 * "/". JavaScript has no locale-free full case folding, so folding is toUpperCase (full
 * mappings, locale-independent: "ß" becomes "SS", "ﬁ" becomes "FI") then toLowerCase, then
 * NFC again (case mapping can decompose). This folds a little more than Unicode's
 * CaseFolding.txt (dotless "ı" and "i" collide, as do "ſ" and "s"); for a uniqueness rule
 * erring that way only refuses names no bundle needs.
 */
export function foldName(name: string): string {
  const bare = name.endsWith('/') ? name.slice(0, -1) : name;
  if (SAFE_ASCII_NAME.test(name)) return bare.toLowerCase();
  return bare.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}
