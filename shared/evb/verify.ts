// verifyBundle: the steps of the spec in order (container, bag tags, payload, packet,
// signatures, trust), failing closed, and the status of spec section 7 with every finding
// behind it. The report is built in verify-report.ts, the payload streamed in
// verify-payload.ts, the signatures checked in verify-signatures.ts.

import type { ByteSource, Platform, ProgressListener } from '../platform/ports';
import { throwIfAborted } from '../platform/ports';
import { CodedError } from '../platform/errors';
import type { Finding, VerificationReport } from './report';
import type { TrustStore } from './crypto-types';
import type { ZipArchive, ZipEntry, ZipLimits } from './zip';
import { ZipEntryError, openZip, readEntryBytes } from './zip';
import type { BagTags } from './bag';
import {
  BAGIT_TXT,
  BAG_INFO_TXT,
  MANIFEST_SHA256,
  TAGMANIFEST_SHA256,
  TAG_FILES_READ,
  checkBagFiles,
  decodeTagFile,
  parseBagTags,
} from './bag';
import { BUNDLE_ID_PATTERN } from './bundle-id';
import { DEFAULT_READ_BYTES, MAX_TAG_FILE_BYTES } from './limits';
import { ReportBuilder, finding } from './verify-report';
import type { Streamed } from './verify-payload';
import { DelegatedDigests, PayloadProgress, entryFailure, streamPayload } from './verify-payload';
import { checkSignatures } from './verify-signatures';

/**
 * The application-layer check of `data/packet.json` (spec section 4.1): its findings, and
 * the packet when it parsed (its bundle_id is compared with the bag's here). The packet's
 * schema lives above this layer, in shared/model (parsePacket); callers pass it in.
 */
export type PacketCheck = (
  bytes: Uint8Array,
  context: { listedPaths: ReadonlySet<string> },
) => { packet: { bundle_id?: unknown } | null; findings: Finding[] };

export interface VerifyOptions {
  platform: Platform;
  /** The trust store to check signatures against (may be empty). */
  trust: TrustStore;
  /** The packet check (shared/model's parsePacket). */
  checkPacket: PacketCheck;
  /** A name for the trust store in the report ("trust.json", "app trust store"). */
  trustStoreName?: string;
  /** Verification time; the platform clock's now when absent. */
  at?: Date;
  limits?: Partial<ZipLimits>;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Entries streamed at once (default 4). */
  concurrency?: number;
  /**
   * False: the whole file's SHA-256 is not computed, and the report's fileSha256 stays null.
   * For a host that computes it after the status (the web build, where it is a serial pass
   * over every byte on a thread of its own: the verification service's fileSha256 request).
   * No step of the status depends on it. Default true.
   */
  hashFile?: boolean;
}

/** A verified (or rejected) bundle: the report, and lazy access to its entries. */
export interface VerifiedBundle {
  report: VerificationReport;
  /**
   * Reads one entry by its path relative to the bag root ("data/packet.json"), inflated
   * and CRC-checked. Rejects for a malformed container, an unknown path, or above maxBytes
   * (default 64 MiB).
   */
  readEntry(path: string, maxBytes?: number): Promise<Uint8Array>;
  /** Paths of the bag's files (relative to the bag root), in archive order. */
  paths(): string[];
}

/** What the steps share: the options, the opened container and the report so far. */
interface Run {
  options: VerifyOptions;
  builder: ReportBuilder;
  archive: ZipArchive;
  /** The bag's files by path relative to the bag root. */
  byPath: Map<string, ZipEntry>;
}

/**
 * Verifies an EVB/1 bundle read from `source`. Never rejects for a bad bundle (that is
 * what the report says); rejects only on I/O errors and on cancellation (CancelledError).
 */
export async function verifyBundle(source: ByteSource, options: VerifyOptions): Promise<VerifiedBundle> {
  const { platform, signal } = options;
  const now = () => platform.clock.now().getTime();
  const at = options.at ?? platform.clock.now();
  const builder = new ReportBuilder(source, at, options.trustStoreName ?? `${options.trust.keys.length} trusted keys`, now(), now);
  throwIfAborted(signal);
  // The file digest, unless the host computes it after the status (hashFile false), runs
  // beside the entry checks (it reads the same bytes, in order), and a source that digests
  // entries itself starts on the payload while the container is read.
  const fileDigest = options.hashFile === false ? null : startFileDigest(source, platform, signal);
  const progress = new PayloadProgress(options.onProgress, source.size);
  const delegated = new DelegatedDigests(source, progress, signal);
  const archive = await openContainer(source, options, delegated);
  const run: Run = { options, builder, archive, byPath: new Map() };
  const done = () => finish(run, fileDigest, delegated);

  const bundleId = checkContainer(run); // 1 and 3: one top-level directory, named by a valid bundle id
  if (bundleId === null) return done();
  const tags = await readTags(run); // 2: the bag's tag files
  if (tags === null) return done();
  const streamed = await streamPayload({
    ...run,
    platform,
    progress,
    delegated,
    needsSha512: sha512Paths(tags),
    signal,
    concurrency: options.concurrency,
  }); // 2: every file's bytes
  if (builder.has('malformed')) return done();
  checkPayload(run, tags, streamed, bundleId); // 2 and 3: digests, sizes, External-Identifier
  checkPacket(run, tags, streamed, bundleId); // 4.1
  builder.tagmanifestSha256 = streamed.get(TAGMANIFEST_SHA256)?.sha256 ?? null;
  const bytesOf = (path: string) => streamed.get(path)?.bytes;
  await checkSignatures({ builder, paths: run.byPath.keys(), bytesOf, trust: options.trust, at, bundleId }); // 5 and 6
  progress.finish();
  return done();
}

function startFileDigest(source: ByteSource, platform: Platform, signal: AbortSignal | undefined): Promise<string> {
  const digest = source.sha256 ? source.sha256(signal) : hashWholeSource(source, platform, signal);
  digest.catch(() => undefined); // awaited by finish
  return digest;
}

/** Streams SHA-256 over the whole file (for the report's fileSha256), in order. */
async function hashWholeSource(source: ByteSource, platform: Platform, signal: AbortSignal | undefined): Promise<string> {
  const hasher = platform.createSha256();
  const chunk = 4 * 1024 * 1024;
  for (let at = 0; at < source.size; at += chunk) {
    throwIfAborted(signal);
    hasher.update(await source.read(at, Math.min(chunk, source.size - at)));
  }
  return hasher.digestHex();
}

async function openContainer(source: ByteSource, options: VerifyOptions, delegated: DelegatedDigests): Promise<ZipArchive> {
  try {
    return await openZip(source, { limits: options.limits, signal: options.signal, onEntryReady: delegated.hook });
  } catch (e) {
    delegated.stop();
    throw e;
  } finally {
    delegated.close();
  }
}

/** The report, once the file digest (when asked for) is in, and the reader of the bundle's entries. */
async function finish(
  { builder, archive, byPath, options }: Run,
  fileDigest: Promise<string> | null,
  delegated: DelegatedDigests,
): Promise<VerifiedBundle> {
  try {
    if (fileDigest) builder.fileSha256 = await fileDigest;
  } finally {
    delegated.stop(); // digests still running when the report was decided without them
  }
  return {
    report: builder.build(),
    paths: () => [...byPath.keys()],
    readEntry: async (path, maxBytes = DEFAULT_READ_BYTES) => {
      const entry = byPath.get(path);
      if (!entry) throw new CodedError('entry-not-found', `The bundle has no entry "${path}".`);
      if (entry.uncompressedSize > maxBytes)
        throw new CodedError(
          'entry-too-large',
          `"${path}" holds ${entry.uncompressedSize} bytes, more than the ${maxBytes} this view reads.`,
        );
      return readEntryBytes(archive, entry, options.platform, { maxBytes });
    },
  };
}

/** Spec sections 1 and 3: a sound container, under one top-level directory named by a valid bundle id. */
function checkContainer({ builder, archive, byPath }: Run): string | null {
  builder.entryCount = archive.entries.length;
  for (const f of archive.findings) builder.add(f);
  if (builder.has('malformed')) return null;
  const topLevel = archive.topLevelDirectory;
  if (topLevel === null) {
    builder.add(secondTopLevel(archive.entries));
    return null;
  }
  builder.bundleId = topLevel;
  if (!BUNDLE_ID_PATTERN.test(topLevel)) {
    const message = `The top-level directory "${topLevel.slice(0, 140)}" is not a valid bundle id ([A-Za-z0-9][A-Za-z0-9._-]{0,127}).`;
    builder.add(finding('bundle-id-syntax', 'bundle-id', 'malformed', message, topLevel));
    return null;
  }
  for (const e of archive.entries) if (!e.isDirectory) byPath.set(e.name.slice(topLevel.length + 1), e);
  return topLevel;
}

/**
 * The container finding for entries not all under one top-level directory (spec 7: it names
 * what it concerns): the second top-level directory, or the entry lying outside any.
 */
function secondTopLevel(entries: readonly ZipEntry[]): Finding {
  let first: string | null = null;
  for (const e of entries) {
    const slash = e.name.indexOf('/');
    const head = slash > 0 ? e.name.slice(0, slash) : null;
    if (head === null) {
      const message = `"${e.name.slice(0, 160)}" lies outside any directory; entries must all lie under one top-level directory named after the bundle id.`;
      return finding('container-top-level', 'container', 'malformed', message, e.name);
    }
    if (first === null) first = head;
    else if (head !== first) {
      const message = `"${head.slice(0, 160)}" is a second top-level directory beside "${first.slice(0, 160)}"; entries must all lie under one top-level directory named after the bundle id.`;
      return finding('container-top-level', 'container', 'malformed', message, head);
    }
  }
  const message = 'Entries must all lie under one top-level directory named after the bundle id.';
  return finding('container-top-level', 'container', 'malformed', message);
}

/** Spec section 2: the required tag files are there, no fetch.txt, and the tag files parse. */
async function readTags(run: Run): Promise<BagTags | null> {
  const { builder, byPath } = run;
  const topLevel = builder.bundleId!;
  for (const required of [BAGIT_TXT, BAG_INFO_TXT, MANIFEST_SHA256, TAGMANIFEST_SHA256, 'data/packet.json']) {
    if (byPath.has(required)) continue;
    const message = `The bag has no ${required}, which EVB/1 requires.`;
    builder.add(finding('bag-required-file-missing', 'bag', 'malformed', message, `${topLevel}/${required}`));
  }
  if (byPath.has('fetch.txt')) {
    const message = 'The bag has a fetch.txt; an evidence bundle must be complete on its own.';
    builder.add(finding('bag-fetch-txt', 'bag', 'malformed', message, `${topLevel}/fetch.txt`));
  }
  if (builder.has('malformed')) return null;
  const texts = new Map<string, string>();
  for (const file of TAG_FILES_READ) {
    if (!byPath.has(file)) continue;
    const text = await tagText(run, file);
    if (text !== null) texts.set(file, text);
  }
  if (builder.has('tampered')) return null; // a damaged tag file: nothing to read the bag by
  const { tags, findings } = parseBagTags(texts);
  builder.bagInfo = tags.info;
  for (const f of findings) builder.add(f);
  return builder.has('malformed') ? null : tags;
}

/** One tag file as text, or null with a finding. */
async function tagText({ builder, byPath, archive, options }: Run, path: string): Promise<string | null> {
  const entry = byPath.get(path)!;
  if (entry.uncompressedSize > MAX_TAG_FILE_BYTES) {
    const message = `${path} declares ${entry.uncompressedSize} bytes, above the ${MAX_TAG_FILE_BYTES}-byte limit for a tag file.`;
    builder.add(finding('limit-tag-file', 'limit', 'malformed', message, path));
    return null;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readEntryBytes(archive, entry, options.platform, { maxBytes: MAX_TAG_FILE_BYTES, signal: options.signal });
  } catch (e) {
    if (!(e instanceof ZipEntryError)) throw e;
    entryFailure(builder, e.code, e.message, path);
    return null;
  }
  const { text, finding: bad } = decodeTagFile(path, bytes);
  if (bad) builder.add(bad);
  return text;
}

/** Files a SHA-512 manifest lists (rare in EVB/1): streamed with both digests. */
function sha512Paths(tags: BagTags): Set<string> {
  const paths = new Set<string>();
  for (const m of [...tags.manifests, ...tags.tagManifests]) if (m.algorithm === 'sha512') for (const p of m.entries.keys()) paths.add(p);
  return paths;
}

/** Spec sections 2 and 3: every file against the manifests, and bag-info's External-Identifier against the directory. */
function checkPayload({ builder }: Run, tags: BagTags, streamed: Map<string, Streamed>, bundleId: string): void {
  const measured = new Map([...streamed].filter(([path]) => !path.startsWith('signatures/')));
  const bagCheck = checkBagFiles(tags, measured);
  builder.files.push(...bagCheck.files);
  for (const f of bagCheck.findings) builder.add(f);
  const externalId = builder.bagInfo?.externalIdentifier;
  if (externalId != null && externalId !== bundleId) {
    const message = `bag-info.txt says External-Identifier "${externalId.slice(0, 140)}" but the top-level directory is "${bundleId}".`;
    builder.add(finding('bundle-id-mismatch', 'bundle-id', 'tampered', message, BAG_INFO_TXT, 'External-Identifier'));
  }
}

/**
 * Spec section 4.1: the packet passes the packet check and names this bundle. Spec 7: only
 * bytes that matched their digest are judged, so a packet that did not match (or whose
 * manifest did not) is left unparsed: its problems would be the tamperer's choice.
 */
function checkPacket({ builder, options }: Run, tags: BagTags, streamed: Map<string, Streamed>, bundleId: string): void {
  const bytes = streamed.get('data/packet.json')?.bytes;
  if (!bytes || !matched(builder, 'data/packet.json') || !matched(builder, MANIFEST_SHA256)) return;
  const listedPaths = new Set(tags.manifests.find((m) => m.file === MANIFEST_SHA256)?.entries.keys() ?? []);
  const { packet, findings } = options.checkPacket(bytes, { listedPaths });
  for (const f of findings) builder.add(f);
  if (packet && packet.bundle_id !== bundleId) {
    const message = `data/packet.json says bundle_id "${String(packet.bundle_id).slice(0, 140)}" but the top-level directory is "${bundleId}".`;
    builder.add(finding('bundle-id-mismatch', 'bundle-id', 'tampered', message, 'data/packet.json', '/bundle_id'));
  }
}

/** The file's bytes matched its digest (its FileCheck is ok). */
function matched(builder: ReportBuilder, path: string): boolean {
  return builder.files.some((f) => f.path === path && f.result === 'ok');
}
