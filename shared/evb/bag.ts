// BagIt 1.0 tag files of an EVB/1 bundle (spec section 2): bagit.txt, bag-info.txt and
// the manifests. Pure parsing; the verifier feeds in the bytes and the digests it streams.

import type { BagFindingCode, FileCheck, Finding } from './report';
import { hasDotSegment } from './zip-names';

export const BAGIT_TXT = 'bagit.txt';
export const BAG_INFO_TXT = 'bag-info.txt';
export const MANIFEST_SHA256 = 'manifest-sha256.txt';
const MANIFEST_SHA512 = 'manifest-sha512.txt';
export const TAGMANIFEST_SHA256 = 'tagmanifest-sha256.txt';
const TAGMANIFEST_SHA512 = 'tagmanifest-sha512.txt';

export type DigestAlgorithm = 'sha256' | 'sha512';
const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

/** A manifest: path (bag-relative, decoded) -> lowercase hex digest. */
export interface Manifest {
  file: string;
  algorithm: DigestAlgorithm;
  entries: Map<string, string>;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function malformed(code: BagFindingCode, entry: string, message: string): Finding {
  return { code, layer: 'bag', severity: 'malformed', entry, message };
}

/** Decodes a tag file as strict UTF-8 (a BOM is refused: BagIt 1.0 forbids it). */
export function decodeTagFile(file: string, bytes: Uint8Array): { text: string | null; finding: Finding | null } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return {
      text: null,
      finding: malformed('bag-tag-bom', file, `${file} starts with a byte-order mark, which BagIt 1.0 does not allow.`),
    };
  }
  try {
    return { text: decoder.decode(bytes), finding: null };
  } catch {
    return { text: null, finding: malformed('bag-tag-encoding', file, `${file} is not valid UTF-8.`) };
  }
}

/** Splits on LF, CRLF or CR (BagIt allows all three); drops one final empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Parses `Label: value` lines with indented continuation lines (bagit.txt, bag-info.txt). */
function parseLabelledFile(file: string, text: string): { labels: Map<string, string[]>; findings: Finding[] } {
  const labels = new Map<string, string[]>();
  const findings: Finding[] = [];
  let last: { label: string; index: number } | null = null;
  splitLines(text).forEach((line, i) => {
    if (/^[ \t]/.test(line)) {
      if (!last) {
        findings.push(malformed('bag-tag-syntax', file, `${file} line ${i + 1}: a continuation line with no label before it.`));
        return;
      }
      const values = labels.get(last.label)!;
      values[last.index] = `${values[last.index]} ${line.trim()}`;
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      findings.push(malformed('bag-tag-syntax', file, `${file} line ${i + 1}: expected "Label: value".`));
      last = null;
      return;
    }
    const label = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    const values = labels.get(label) ?? [];
    values.push(value);
    labels.set(label, values);
    last = { label, index: values.length - 1 };
  });
  return { labels, findings };
}

/** bagit.txt must declare BagIt 1.0 and UTF-8, each exactly once. */
function checkBagitTxt(text: string): Finding[] {
  const { labels, findings } = parseLabelledFile(BAGIT_TXT, text);
  const version = labels.get('BagIt-Version');
  const encoding = labels.get('Tag-File-Character-Encoding');
  if (!version || version.length !== 1 || version[0] !== '1.0') {
    findings.push(
      malformed(
        'bag-version',
        BAGIT_TXT,
        `${BAGIT_TXT} must say "BagIt-Version: 1.0" exactly once; found ${version ? version.map((v) => `"${v}"`).join(', ') : 'none'}.`,
      ),
    );
  }
  if (!encoding || encoding.length !== 1 || encoding[0]!.toUpperCase() !== 'UTF-8') {
    findings.push(malformed('bag-encoding', BAGIT_TXT, `${BAGIT_TXT} must say "Tag-File-Character-Encoding: UTF-8" exactly once.`));
  }
  return findings;
}

export interface BagInfo {
  labels: Map<string, string[]>;
  externalIdentifier: string | null;
  payloadOxum: { octets: number; files: number } | null;
  payloadOxumText: string | null;
}

/** bag-info.txt: the four required labels, each once, with their syntax (spec section 2). */
export function parseBagInfo(text: string): { info: BagInfo; findings: Finding[] } {
  const { labels, findings } = parseLabelledFile(BAG_INFO_TXT, text);
  const one = (label: string): string | null => {
    const v = labels.get(label);
    if (!v || v.length === 0) {
      findings.push(malformed('bag-info-missing-label', BAG_INFO_TXT, `${BAG_INFO_TXT} has no "${label}" label, which EVB/1 requires.`));
      return null;
    }
    if (v.length > 1) {
      findings.push(
        malformed('bag-info-repeated-label', BAG_INFO_TXT, `${BAG_INFO_TXT} has "${label}" ${v.length} times; it must appear once.`),
      );
      return null;
    }
    return v[0]!;
  };
  const externalIdentifier = one('External-Identifier');
  const date = one('Bagging-Date');
  if (date !== null && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    findings.push(malformed('bag-info-bad-date', BAG_INFO_TXT, `${BAG_INFO_TXT}: Bagging-Date "${date}" is not YYYY-MM-DD.`));
  }
  const oxumText = one('Payload-Oxum');
  let payloadOxum: BagInfo['payloadOxum'] = null;
  if (oxumText !== null) {
    const m = /^(\d{1,16})\.(\d{1,9})$/.exec(oxumText);
    if (!m)
      findings.push(
        malformed('bag-info-bad-oxum', BAG_INFO_TXT, `${BAG_INFO_TXT}: Payload-Oxum "${oxumText}" is not "<octets>.<file count>".`),
      );
    else payloadOxum = { octets: Number(m[1]), files: Number(m[2]) };
  }
  one('Bag-Software-Agent');
  return { info: { labels, externalIdentifier, payloadOxum, payloadOxumText: oxumText }, findings };
}

/** Decodes a manifest path: only %0A, %0D and %25 (spec section 2). */
export function decodeManifestPath(raw: string): string {
  return raw.replace(/%0A|%0D|%25/gi, (m) => (m.toUpperCase() === '%0A' ? '\n' : m.toUpperCase() === '%0D' ? '\r' : '%'));
}

/** Encodes a path for a manifest line (inverse of decodeManifestPath). */
export function encodeManifestPath(path: string): string {
  return path.replace(/%/g, '%25').replace(/\n/g, '%0A').replace(/\r/g, '%0D');
}

/** Paths made only of these (the common case) need no other check than "." and "..". */
const PLAIN_BAG_PATH = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/** True when `text` holds a C0 control character or DEL. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** A bag-relative path that stays inside the bag: no absolute, `\`, drive, empty, `.` or `..` segment. */
export function isSafeBagPath(path: string): boolean {
  if (PLAIN_BAG_PATH.test(path)) return !hasDotSegment(path);
  if (path.length === 0 || path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path)) return false;
  if (hasControlCharacter(path.replace(/[\n\r]/g, ''))) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/**
 * Parses `manifest-<alg>.txt` or `tagmanifest-<alg>.txt`. `scope` says which paths may be
 * listed: 'payload' only under data/, 'tag' only tag files (not data/, not signatures/).
 */
export function parseManifest(
  file: string,
  algorithm: DigestAlgorithm,
  text: string,
  scope: 'payload' | 'tag',
): { manifest: Manifest; findings: Finding[] } {
  const entries = new Map<string, string>();
  const findings: Finding[] = [];
  const hexLength = HEX_LENGTH[algorithm];
  const digestPattern = new RegExp(`^[0-9a-f]{${hexLength}}$`);
  const where = (i: number) => `${file} line ${i + 1}`;
  splitLines(text).forEach((line, i) => {
    const m = /^(\S+)[ \t]+(.+)$/.exec(line);
    if (!m) {
      findings.push(malformed('bag-manifest-syntax', file, `${where(i)}: expected "<digest> <path>".`));
      return;
    }
    const digest = m[1]!;
    if (!digestPattern.test(digest)) {
      findings.push(
        malformed(
          'bag-manifest-digest',
          file,
          `${where(i)}: "${digest.slice(0, 140)}" is not a lowercase hex ${algorithm.toUpperCase()} digest.`,
        ),
      );
      return;
    }
    const path = m[2]!.includes('%') ? decodeManifestPath(m[2]!) : m[2]!;
    if (!isSafeBagPath(path)) {
      findings.push(
        malformed(
          'bag-manifest-path',
          file,
          `${where(i)}: the path "${m[2]!.slice(0, 200)}" leaves the bag or is not a relative /-separated path.`,
        ),
      );
      return;
    }
    if (scope === 'payload' && !path.startsWith('data/')) {
      findings.push(malformed('bag-manifest-scope', file, `${where(i)}: ${file} may only list files under data/, not "${path}".`));
      return;
    }
    if (scope === 'tag' && (path.startsWith('data/') || path.startsWith('signatures/') || path.startsWith('tagmanifest-'))) {
      findings.push(malformed('bag-manifest-scope', file, `${where(i)}: ${file} may only list tag files, not "${path}".`));
      return;
    }
    if (entries.has(path)) {
      findings.push(malformed('bag-manifest-duplicate', file, `${where(i)}: "${path}" is listed twice.`));
      return;
    }
    entries.set(path, digest);
  });
  return { manifest: { file, algorithm, entries }, findings };
}

/** Writes a manifest's text (sorted by path, LF line endings). */
export function formatManifest(entries: Iterable<[string, string]>): string {
  return [...entries]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, digest]) => `${digest}  ${encodeManifestPath(path)}\n`)
    .join('');
}

/** The parsed tag files of a bag. */
export interface BagTags {
  info: BagInfo | null;
  /** manifest-sha256.txt and manifest-sha512.txt, as present. */
  manifests: Manifest[];
  /** tagmanifest-sha256.txt and tagmanifest-sha512.txt, as present. */
  tagManifests: Manifest[];
}

const MANIFEST_FILES: Array<[string, DigestAlgorithm, 'payload' | 'tag']> = [
  [MANIFEST_SHA256, 'sha256', 'payload'],
  [MANIFEST_SHA512, 'sha512', 'payload'],
  [TAGMANIFEST_SHA256, 'sha256', 'tag'],
  [TAGMANIFEST_SHA512, 'sha512', 'tag'],
];

/** Tag files the bag layer reads as text, when present. */
export const TAG_FILES_READ = [BAGIT_TXT, BAG_INFO_TXT, ...MANIFEST_FILES.map(([f]) => f)];

/**
 * Parses bagit.txt, bag-info.txt and the manifests from their texts (absent files are
 * simply not in the map; the caller decides which are required).
 */
export function parseBagTags(texts: ReadonlyMap<string, string>): { tags: BagTags; findings: Finding[] } {
  const findings: Finding[] = [];
  const bagit = texts.get(BAGIT_TXT);
  if (bagit !== undefined) findings.push(...checkBagitTxt(bagit));
  let info: BagInfo | null = null;
  const bagInfo = texts.get(BAG_INFO_TXT);
  if (bagInfo !== undefined) {
    const parsed = parseBagInfo(bagInfo);
    info = parsed.info;
    findings.push(...parsed.findings);
  }
  const manifests: Manifest[] = [];
  const tagManifests: Manifest[] = [];
  for (const [file, algorithm, scope] of MANIFEST_FILES) {
    const text = texts.get(file);
    if (text === undefined) continue;
    const { manifest, findings: f } = parseManifest(file, algorithm, text, scope);
    findings.push(...f);
    (scope === 'payload' ? manifests : tagManifests).push(manifest);
  }
  const tagmanifest = tagManifests.find((m) => m.file === TAGMANIFEST_SHA256);
  if (tagmanifest) {
    for (const path of texts.keys()) {
      const mustList = path === BAGIT_TXT || path === BAG_INFO_TXT || /^manifest-[^/]+\.txt$/.test(path);
      if (mustList && !tagmanifest.entries.has(path)) {
        findings.push(
          malformed('bag-tagmanifest-incomplete', path, `${TAGMANIFEST_SHA256} does not list ${path}, so nothing signed covers it.`),
        );
      }
    }
  }
  return { tags: { info, manifests, tagManifests }, findings };
}

/**
 * What is wrong with one file against the manifests, if anything (spec 2): damaged, missing
 * (naming the manifests that list it), unlisted (naming the manifest that lacks it: every
 * manifest present is complete), or a digest that differs.
 */
function fileFinding(
  path: string,
  got: MeasuredFile | undefined,
  primary: Manifest | undefined,
  secondary: Manifest | undefined,
): { result: FileCheck['result']; finding: Finding | null } | null {
  // Its entry finding (tampered, naming the file) was recorded when it was read.
  if (got?.damaged) return { result: 'mismatch', finding: null };
  if (!got) {
    const listers = [primary, secondary].filter((m) => m?.entries.has(path)).map((m) => m!.file);
    const who = listers.length ? listers.join(' and ') : 'A manifest';
    const message = `${who} list${listers.length === 1 ? 's' : ''} ${path}, but the bundle does not hold it.`;
    return { result: 'missing', finding: tampered('bag-missing-file', path, message) };
  }
  const expected = primary?.entries.get(path);
  if (expected === undefined) {
    const message = `${path} is in the bundle but ${primary?.file ?? 'no manifest'} does not list it, so nothing signed covers it.`;
    return { result: 'unlisted', finding: tampered('bag-unlisted-file', path, message) };
  }
  if (expected !== got.sha256) {
    const message = `${path}: SHA-256 is ${got.sha256}, but ${primary!.file} says ${expected}.`;
    return { result: 'mismatch', finding: tampered('bag-digest-mismatch', path, message) };
  }
  if (!secondary) return null;
  const expected512 = secondary.entries.get(path);
  if (expected512 === undefined) {
    const message = `${path} is missing from ${secondary.file}, which must list every file ${primary!.file} lists.`;
    return { result: 'unlisted', finding: tampered('bag-unlisted-file', path, message) };
  }
  if (expected512 !== got.sha512)
    return { result: 'mismatch', finding: tampered('bag-digest-mismatch', path, `${path}: SHA-512 does not match ${secondary.file}.`) };
  return null;
}

/** What the verifier measured of one file while streaming it. */
export interface MeasuredFile {
  sha256: string;
  /** Only when a SHA-512 manifest lists the file. */
  sha512: string | null;
  size: number;
  /**
   * The entry's data did not inflate to its declared size and CRC-32 (spec 7: damaged
   * content, tampered); the digests mean nothing and a finding already names the file.
   */
  damaged?: boolean;
}

function tampered(code: BagFindingCode, entry: string, message: string, field?: string): Finding {
  const f: Finding = { code, layer: 'bag', severity: 'tampered', entry, message };
  if (field) f.field = field;
  return f;
}

/**
 * Completeness and validity (spec section 2): every listed file present, every payload and
 * tag file listed, every digest equal, Payload-Oxum equal. `measured` holds every file of
 * the bag outside signatures/ (bag-relative path -> what was measured). Slightly over one
 * screen: the manifests, then the files nobody listed, then Payload-Oxum, in spec order.
 */
export function checkBagFiles(tags: BagTags, measured: ReadonlyMap<string, MeasuredFile>): { files: FileCheck[]; findings: Finding[] } {
  const files: FileCheck[] = [];
  const findings: Finding[] = [];
  const m256 = tags.manifests.find((m) => m.algorithm === 'sha256');
  const m512 = tags.manifests.find((m) => m.algorithm === 'sha512');
  const t256 = tags.tagManifests.find((m) => m.algorithm === 'sha256');
  const t512 = tags.tagManifests.find((m) => m.algorithm === 'sha512');

  const check = (path: string, primary: Manifest | undefined, secondary: Manifest | undefined): void => {
    const got = measured.get(path);
    const expected = primary?.entries.get(path) ?? null;
    const file: FileCheck = {
      path,
      manifest: expected !== null ? primary!.file : null,
      expectedSha256: expected,
      actualSha256: got && !got.damaged ? got.sha256 : null,
      size: got && !got.damaged ? got.size : null,
      result: 'ok',
    };
    if (secondary) {
      file.expectedSha512 = secondary.entries.get(path) ?? null;
      file.actualSha512 = got && !got.damaged ? got.sha512 : null;
    }
    const finding = fileFinding(path, got, primary, secondary);
    if (finding) {
      file.result = finding.result;
      if (finding.finding) findings.push(finding.finding);
    }
    files.push(file);
  };

  const payload = new Set<string>();
  const tagFiles = new Set<string>();
  for (const path of measured.keys()) {
    if (path.startsWith('signatures/')) continue;
    if (path.startsWith('data/')) payload.add(path);
    else if (!path.startsWith('tagmanifest-')) tagFiles.add(path);
  }
  for (const m of tags.manifests) for (const p of m.entries.keys()) payload.add(p);
  for (const m of tags.tagManifests) for (const p of m.entries.keys()) tagFiles.add(p);
  for (const path of [...payload].sort()) check(path, m256, m512);
  for (const path of [...tagFiles].sort()) check(path, t256, t512);
  // Spec 7: a manifest that did not match its tag-manifest digest is not judged further, so a
  // payload file that agrees with it has not been shown to match anything signed.
  if (files.some((f) => f.result !== 'ok' && /^manifest-[^/]+\.txt$/.test(f.path)))
    for (const f of files) if (f.result === 'ok' && f.path.startsWith('data/')) f.result = 'manifest-not-intact';

  const oxum = tags.info?.payloadOxum;
  if (oxum) {
    let octets = 0;
    let count = 0;
    for (const [path, m] of measured) {
      if (!path.startsWith('data/')) continue;
      octets += m.size;
      count += 1;
    }
    if (oxum.octets !== octets || oxum.files !== count) {
      findings.push(
        tampered(
          'bag-payload-oxum-mismatch',
          BAG_INFO_TXT,
          `bag-info.txt says Payload-Oxum ${oxum.octets}.${oxum.files}, but data/ holds ${octets} bytes in ${count} files.`,
          'Payload-Oxum',
        ),
      );
    }
  }
  return { files, findings };
}
