// verifyBundle: container -> bag -> bundle id -> packet -> signatures -> trust, failing
// closed, and the status of spec section 7 with every finding behind it.

import type { ByteSource, Platform, ProgressListener, Sha256 } from '../platform/ports';
import { CancelledError, DigestQueue, throwIfAborted } from '../platform/ports';
import { windowedSource } from '../platform/windowed';
import type { BundleStatus, FileCheck, Finding, SignatureCheck, VerificationReport } from './report';
import { STATUS_EXPLANATION, pickStatus } from './report';
import type { PublicKeyInfo, TrustStore } from './crypto-types';
import type { ZipArchive, ZipEntry, ZipLimits } from './zip';
import { ZipEntryError, openZip, readEntry, readEntryBytes } from './zip';
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
import type { BagInfo, MeasuredFile } from './bag';
import { parsePublicKey, verifySignature } from './keys';
import { pae, parseSignatureFile, parseStatement } from './dsse';
import { evaluateTrust, findTrustEntry } from './trust';
import { parsePacket } from '../model/packet';
import { BUNDLE_ID_PATTERN } from './bundle-id';
import { checkKeylessSignature, isKeylessBundle } from './sigstore/evb-signature';

export interface VerifyOptions {
  platform: Platform;
  /** The trust store to check signatures against (may be empty). */
  trust: TrustStore;
  /** A name for the trust store in the report ("trust.json", "app trust store"). */
  trustStoreName?: string;
  /** Verification time; the platform clock's now when absent. */
  at?: Date;
  limits?: Partial<ZipLimits>;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Entries streamed at once (default 4). */
  concurrency?: number;
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

const MiB = 1024 * 1024;
/** Most bytes read whole from a tag file, signature file or the packet. */
const MAX_TAG_FILE = 64 * MiB;
const MAX_SIGNATURE_FILE = 1 * MiB;
const MAX_PACKET = 64 * MiB;
const DEFAULT_READ_LIMIT = 64 * MiB;
/**
 * Entries streamed at once. Inflating runs on the platform's pool while hashing runs here,
 * and small entries are latency-bound, so a few in flight keep both cores busy; each large
 * entry holds at most two 4 MiB chunks in flight, so memory stays bounded.
 */
const DEFAULT_CONCURRENCY = 4;
/** Entries at least this large (compressed) stream at most LARGE_IN_FLIGHT at a time. */
const LARGE_ENTRY = 1024 * 1024;
const LARGE_IN_FLIGHT = 2;

const SIGNATURE_SUFFIXES = ['.dsse.json', '.sigstore.json'] as const;
/** Files whose bytes verification keeps: the packet and the signature files. */
const keepBytes = (path: string) => path === 'data/packet.json' || path.startsWith('signatures/');
const TRAVELLING_KEY_SUFFIX = '.pub.pem';

interface Streamed extends MeasuredFile {
  /** Kept for the packet and signature files only. */
  bytes: Uint8Array | null;
}

function finding(
  code: string,
  layer: Finding['layer'],
  severity: Finding['severity'],
  message: string,
  entry?: string,
  field?: string,
): Finding {
  const f: Finding = { code, layer, severity, message };
  if (entry !== undefined) f.entry = entry;
  if (field !== undefined) f.field = field;
  return f;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!.slice();
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Streams SHA-256 over the whole file (for the report's fileSha256), in order. */
async function hashWholeSource(source: ByteSource, hasher: Sha256, signal: AbortSignal | undefined): Promise<string> {
  const chunk = 4 * MiB;
  for (let at = 0; at < source.size; at += chunk) {
    throwIfAborted(signal);
    hasher.update(await source.read(at, Math.min(chunk, source.size - at)));
  }
  return hasher.digestHex();
}

class ReportBuilder {
  readonly findings: Finding[] = [];
  readonly files: FileCheck[] = [];
  readonly signatures: SignatureCheck[] = [];
  bundleId: string | null = null;
  tagmanifestSha256: string | null = null;
  fileSha256: string | null = null;
  entryCount = 0;
  bagInfo: BagInfo | null = null;

  constructor(
    private readonly source: ByteSource,
    private readonly at: Date,
    private readonly trustStoreName: string,
    private readonly startedAt: number,
    private readonly now: () => number,
  ) {}

  add(f: Finding): void {
    this.findings.push(f);
  }

  has(severity: Finding['severity']): boolean {
    return this.findings.some((f) => f.severity === severity);
  }

  build(): VerificationReport {
    const applicable: BundleStatus[] = [];
    if (this.has('malformed')) applicable.push('malformed');
    if (this.has('tampered')) applicable.push('tampered');
    const verifying = this.signatures.filter((s) => s.math === 'valid' && s.statementMatches === true);
    if (verifying.some((s) => s.trust === 'revoked-key')) applicable.push('key-revoked');
    if (verifying.some((s) => s.trust === 'trusted')) applicable.push('verified');
    if (verifying.some((s) => s.trust === 'expired-key')) applicable.push('key-expired');
    if (this.signatures.length > 0) applicable.push('untrusted-signer');
    applicable.push('unsigned');
    const status = pickStatus(applicable);
    const bagInfo: Record<string, string[]> = {};
    for (const [k, v] of this.bagInfo?.labels ?? []) bagInfo[k] = v;
    return {
      status,
      summary: this.summarize(status),
      bundleId: this.bundleId,
      fileSha256: this.fileSha256,
      fileName: this.source.name ?? null,
      fileSize: this.source.size,
      tagmanifestSha256: this.tagmanifestSha256,
      verifiedAt: this.at.toISOString(),
      trustStore: this.trustStoreName,
      entryCount: this.entryCount,
      payloadOxum: this.bagInfo?.payloadOxumText ?? null,
      bagInfo,
      files: this.files,
      signatures: this.signatures,
      findings: this.findings,
      elapsedMs: Math.max(0, Math.round(this.now() - this.startedAt)),
      reportVersion: 1,
    };
  }

  private summarize(status: BundleStatus): string {
    const first = (severity: Finding['severity']) => this.findings.find((f) => f.severity === severity)?.message;
    const count = this.files.filter((f) => f.result === 'ok').length;
    const signerOf = (s: SignatureCheck) => `${s.principal ?? s.signer?.name ?? 'an unknown signer'}${s.role ? ` (${s.role})` : ''}`;
    switch (status) {
      case 'malformed':
        return `Malformed: ${first('malformed') ?? STATUS_EXPLANATION.malformed}`;
      case 'tampered':
        return `Tampered: ${first('tampered') ?? STATUS_EXPLANATION.tampered}`;
      case 'key-revoked': {
        const s = this.signatures.find((x) => x.trust === 'revoked-key' && x.math === 'valid');
        return `Key revoked: signed by ${s ? signerOf(s) : 'a key'} whose key is revoked${s?.trustDetail ? ` (${s.trustDetail})` : ''}. ${STATUS_EXPLANATION['key-revoked']}`;
      }
      case 'verified': {
        const signers = this.signatures.filter((x) => x.trust === 'trusted' && x.math === 'valid').map(signerOf);
        return `Verified: ${count} files match their digests; signed by ${signers.join(', ')} with a trusted, current key.`;
      }
      case 'key-expired': {
        const s = this.signatures.find((x) => x.trust === 'expired-key' && x.math === 'valid');
        return `Key expired: ${count} files match, but the trusted key of ${s ? signerOf(s) : 'the signer'} is outside its validity window${s?.trustDetail ? ` (${s.trustDetail})` : ''}.`;
      }
      case 'untrusted-signer':
        return `Untrusted signer: ${count} files match, but no signature is by a key you trust. ${STATUS_EXPLANATION['untrusted-signer']}`;
      case 'unsigned':
        return `Unsigned: ${count} files match their digests, but the bundle carries no signature.`;
    }
  }
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

  // The file digest runs beside the entry checks (it reads the same bytes, in order).
  const fileDigest = source.sha256 ? source.sha256(signal) : hashWholeSource(source, platform.createSha256(), signal);
  fileDigest.catch(() => undefined);

  // A source that digests entries itself (a file, on worker threads) takes every file
  // whose bytes are not needed here, from the moment its local header has been checked:
  // the workers digest while the rest of the container and the tag files are read.
  let progressDone = 0;
  let total = 0;
  const onDigested = (n: number) => {
    progressDone += n;
    if (total > 0) options.onProgress?.({ phase: 'payload', done: progressDone, total }); // known once the container is
  };
  const stopDigests = new AbortController();
  signal?.addEventListener('abort', () => stopDigests.abort(), { once: true });
  const jobs = source.digestEntries ? new DigestQueue() : null;
  const digests = jobs ? source.digestEntries!(jobs, onDigested, stopDigests.signal) : Promise.resolve([]);
  digests.catch(() => undefined); // awaited below, unless the report is decided first
  const delegated = new Set<string>();
  const delegate = (entry: ZipEntry) => {
    const path = entry.name.slice(entry.name.indexOf('/') + 1);
    if (entry.isDirectory || keepBytes(path)) return;
    delegated.add(path);
    jobs!.push({
      path,
      dataOffset: entry.dataOffset,
      compressedSize: entry.compressedSize,
      uncompressedSize: entry.uncompressedSize,
      method: entry.method,
      crc32: entry.crc32,
    });
  };

  let archive: ZipArchive;
  try {
    archive = await openZip(source, { limits: options.limits, signal, onEntryReady: jobs ? delegate : undefined });
  } catch (e) {
    stopDigests.abort();
    throw e;
  }
  jobs?.close();
  const byPath = new Map<string, ZipEntry>();
  const done = async (): Promise<VerifiedBundle> => {
    try {
      builder.fileSha256 = await fileDigest;
    } finally {
      stopDigests.abort(); // digests still running when the report was decided without them
    }
    return {
      report: builder.build(),
      paths: () => [...byPath.keys()],
      readEntry: async (path, maxBytes = DEFAULT_READ_LIMIT) => {
        const entry = byPath.get(path);
        if (!entry) throw new Error(`The bundle has no entry "${path}".`);
        if (entry.uncompressedSize > maxBytes)
          throw new Error(`"${path}" holds ${entry.uncompressedSize} bytes, more than the ${maxBytes} this view reads.`);
        return readEntryBytes(archive, entry, platform, { maxBytes });
      },
    };
  };

  // 1. Container (spec section 1).
  builder.entryCount = archive.entries.length;
  for (const f of archive.findings) builder.add(f);
  if (builder.has('malformed')) return done();

  const files = archive.entries.filter((e) => !e.isDirectory);
  const topLevel = archive.topLevelDirectory;
  if (topLevel === null) {
    builder.add(
      finding(
        'container-top-level',
        'container',
        'malformed',
        'Entries must all lie under one top-level directory named after the bundle id.',
      ),
    );
    return done();
  }
  // 3. Bundle id syntax (the top-level directory names it).
  builder.bundleId = topLevel;
  if (!BUNDLE_ID_PATTERN.test(topLevel)) {
    builder.add(
      finding(
        'bundle-id-syntax',
        'bundle-id',
        'malformed',
        `The top-level directory "${topLevel.slice(0, 140)}" is not a valid bundle id ([A-Za-z0-9][A-Za-z0-9._-]{0,127}).`,
        topLevel,
      ),
    );
    return done();
  }
  for (const e of files) byPath.set(e.name.slice(topLevel.length + 1), e);

  // 2. Bag: required tag files present and parseable.
  for (const required of [BAGIT_TXT, BAG_INFO_TXT, MANIFEST_SHA256, TAGMANIFEST_SHA256, 'data/packet.json']) {
    if (!byPath.has(required)) {
      builder.add(
        finding(
          'bag-required-file-missing',
          'bag',
          'malformed',
          `The bag has no ${required}, which EVB/1 requires.`,
          `${topLevel}/${required}`,
        ),
      );
    }
  }
  if (byPath.has('fetch.txt')) {
    builder.add(
      finding(
        'bag-fetch-txt',
        'bag',
        'malformed',
        'The bag has a fetch.txt; an evidence bundle must be complete on its own.',
        `${topLevel}/fetch.txt`,
      ),
    );
  }
  if (builder.has('malformed')) return done();

  const tagText = async (path: string): Promise<string | null> => {
    const entry = byPath.get(path)!;
    if (entry.uncompressedSize > MAX_TAG_FILE) {
      builder.add(
        finding(
          'limit-tag-file',
          'limit',
          'malformed',
          `${path} declares ${entry.uncompressedSize} bytes, above the ${MAX_TAG_FILE}-byte limit for a tag file.`,
          path,
        ),
      );
      return null;
    }
    let bytes: Uint8Array;
    try {
      bytes = await readEntryBytes(archive, entry, platform, { maxBytes: MAX_TAG_FILE, signal });
    } catch (e) {
      if (e instanceof ZipEntryError) {
        builder.add(finding(e.code, 'container', 'malformed', e.message, path));
        return null;
      }
      throw e;
    }
    const { text, finding: bad } = decodeTagFile(path, bytes);
    if (bad) builder.add(bad);
    return text;
  };

  const texts = new Map<string, string>();
  for (const file of TAG_FILES_READ) {
    if (!byPath.has(file)) continue;
    const text = await tagText(file);
    if (text !== null) texts.set(file, text);
  }
  const { tags, findings: tagFindings } = parseBagTags(texts);
  builder.bagInfo = tags.info;
  for (const f of tagFindings) builder.add(f);
  if (builder.has('malformed')) return done();

  // 2. Bag: every file is streamed once (inflate -> CRC -> SHA-256), checking sizes on the
  // way: here, those the workers do not take, and those listed with SHA-512 (rare in
  // EVB/1), where both digests are taken.
  const needsSha512 = new Set<string>();
  for (const m of [...tags.manifests, ...tags.tagManifests])
    if (m.algorithm === 'sha512') for (const p of m.entries.keys()) needsSha512.add(p);
  const streamed = new Map<string, Streamed>();
  const paths = [...byPath.keys()];
  total = paths.reduce((sum, p) => sum + byPath.get(p)!.compressedSize, 0);
  options.onProgress?.({ phase: 'payload', done: progressDone, total });

  // Small neighbouring entries are read through shared windows (one read per 4 MiB).
  const streamingArchive: ZipArchive = { ...archive, source: windowedSource(source) };
  const streamOne = async (path: string): Promise<void> => {
    const entry = byPath.get(path)!;
    const keep = keepBytes(path);
    const limit = path === 'data/packet.json' ? MAX_PACKET : MAX_SIGNATURE_FILE;
    if (keep && entry.uncompressedSize > limit) {
      builder.add(
        finding(
          'limit-file',
          'limit',
          'malformed',
          `${path} declares ${entry.uncompressedSize} bytes, above the ${limit}-byte limit for it.`,
          path,
        ),
      );
      return;
    }
    const sha = platform.createSha256();
    const chunks: Uint8Array[] = [];
    const wantSha512 = needsSha512.has(path);
    let size = 0;
    try {
      for await (const chunk of readEntry(streamingArchive, entry, platform, {
        signal,
        onBytes: (n) => {
          if (delegated.has(path)) return; // counted by the workers
          progressDone += n;
          options.onProgress?.({ phase: 'payload', done: progressDone, total, entry: path });
        },
      })) {
        sha.update(chunk);
        size += chunk.length;
        if (keep || wantSha512) chunks.push(chunk.slice());
      }
    } catch (e) {
      if (e instanceof ZipEntryError) {
        builder.add(finding(e.code, 'container', 'malformed', e.message, path));
        return;
      }
      throw e;
    }
    const bytes = keep || wantSha512 ? concat(chunks, size) : null;
    const sha512 = wantSha512 && bytes ? hex(await crypto.subtle.digest('SHA-512', bytes as Uint8Array<ArrayBuffer>)) : null;
    streamed.set(path, { sha256: await sha.digestHex(), sha512, size, bytes: keep ? bytes : null });
  };

  const queue = paths.filter((p) => !delegated.has(p) || needsSha512.has(p));
  // Small entries are latency-bound and many may stream at once; large ones hold buffers,
  // so at most LARGE_IN_FLIGHT of them stream at a time.
  let next = 0;
  let largeInFlight = 0;
  const largeWaiters: Array<() => void> = [];
  const streamBounded = async (path: string) => {
    if (byPath.get(path)!.compressedSize < LARGE_ENTRY) return streamOne(path);
    while (largeInFlight >= LARGE_IN_FLIGHT) await new Promise<void>((r) => largeWaiters.push(r));
    largeInFlight += 1;
    try {
      await streamOne(path);
    } finally {
      largeInFlight -= 1;
      largeWaiters.shift()?.();
    }
  };
  const width = Math.max(1, options.concurrency ?? platform.smallEntryConcurrency ?? DEFAULT_CONCURRENCY);
  const workers = Array.from({ length: width }, async () => {
    while (next < queue.length) {
      throwIfAborted(signal);
      await streamBounded(queue[next++]!);
    }
  });
  const [digested] = await Promise.all([digests, ...workers]);
  for (const r of digested) {
    if (needsSha512.has(r.path)) continue; // streamed here too, with both digests
    if (r.error) builder.add(finding(r.error.code, 'container', 'malformed', `"${byPath.get(r.path)!.name}" ${r.error.message}.`, r.path));
    else streamed.set(r.path, { sha256: r.sha256!, sha512: null, size: r.size!, bytes: null });
  }
  if (builder.has('malformed')) return done();

  const measured = new Map([...streamed].filter(([path]) => !path.startsWith('signatures/')));
  const bagCheck = checkBagFiles(tags, measured);
  builder.files.push(...bagCheck.files);
  for (const f of bagCheck.findings) builder.add(f);

  // 3. Bundle id agreement.
  const externalId = builder.bagInfo?.externalIdentifier;
  if (externalId != null && externalId !== topLevel) {
    builder.add(
      finding(
        'bundle-id-mismatch',
        'bundle-id',
        'tampered',
        `bag-info.txt says External-Identifier "${externalId.slice(0, 140)}" but the top-level directory is "${topLevel}".`,
        BAG_INFO_TXT,
        'External-Identifier',
      ),
    );
  }

  // 4.1 Packet.
  const listedPaths = new Set(tags.manifests.find((m) => m.file === MANIFEST_SHA256)?.entries.keys() ?? []);
  const packetBytes = streamed.get('data/packet.json')?.bytes;
  if (packetBytes) {
    const { packet, findings } = parsePacket(packetBytes, { listedPaths });
    for (const f of findings) builder.add(f);
    if (packet && packet.bundle_id !== topLevel) {
      builder.add(
        finding(
          'bundle-id-mismatch',
          'bundle-id',
          'tampered',
          `data/packet.json says bundle_id "${String(packet.bundle_id).slice(0, 140)}" but the top-level directory is "${topLevel}".`,
          'data/packet.json',
          '/bundle_id',
        ),
      );
    }
  }

  // 5 and 6. Signatures and trust.
  builder.tagmanifestSha256 = streamed.get(TAGMANIFEST_SHA256)?.sha256 ?? null;
  await checkSignatures(builder, byPath, streamed, options.trust, at, topLevel);

  options.onProgress?.({ phase: 'report', done: total, total });
  return done();
}

async function checkSignatures(
  builder: ReportBuilder,
  byPath: Map<string, ZipEntry>,
  streamed: Map<string, Streamed>,
  trust: TrustStore,
  at: Date,
  bundleId: string,
): Promise<void> {
  const sigFiles: string[] = [];
  const travelling = new Map<string, { key: PublicKeyInfo; pem: string }>();
  for (const path of byPath.keys()) {
    if (!path.startsWith('signatures/')) continue;
    const name = path.slice('signatures/'.length);
    if (name.includes('/')) {
      builder.add(finding('signature-nested', 'signature', 'malformed', `${path}: signatures/ must not hold folders.`, path));
      continue;
    }
    if (SIGNATURE_SUFFIXES.some((s) => name.endsWith(s))) {
      sigFiles.push(path);
    } else if (name.endsWith(TRAVELLING_KEY_SUFFIX)) {
      const bytes = streamed.get(path)?.bytes;
      if (!bytes) continue;
      const pem = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      try {
        travelling.set(name.slice(0, -TRAVELLING_KEY_SUFFIX.length), { key: await parsePublicKey(pem), pem });
      } catch (e) {
        builder.add(
          finding('signature-bad-key-file', 'signature', 'malformed', `${path} is not a usable public key: ${(e as Error).message}`, path),
        );
      }
    } else {
      builder.add(
        finding(
          'signature-unknown-file',
          'signature',
          'malformed',
          `${path} is neither a DSSE envelope (.dsse.json), a Sigstore bundle (.sigstore.json) nor a public key (.pub.pem).`,
          path,
        ),
      );
    }
  }

  const trustKeys = new Map<string, PublicKeyInfo>();
  const keyOf = async (publicKey: string): Promise<PublicKeyInfo | null> => {
    if (!trustKeys.has(publicKey)) {
      try {
        trustKeys.set(publicKey, await parsePublicKey(publicKey));
      } catch {
        return null;
      }
    }
    return trustKeys.get(publicKey)!;
  };

  for (const path of sigFiles.sort()) {
    const bytes = streamed.get(path)?.bytes;
    if (!bytes) continue;
    const name = path.slice('signatures/'.length);
    if (name.endsWith('.sigstore.json') && isKeylessBundle(bytes)) {
      const keyless = await checkKeylessSignature(path, bytes, {
        trustedRoots: trust.trusted_roots,
        identities: trust.identities ?? [],
        at,
        bundleId,
        tagmanifestSha256: builder.tagmanifestSha256,
      });
      builder.signatures.push(keyless.check);
      for (const f of keyless.findings) builder.add(f);
      continue;
    }
    const base = name.slice(0, -(name.endsWith('.dsse.json') ? '.dsse.json'.length : '.sigstore.json'.length));
    let parsed;
    try {
      parsed = parseSignatureFile(path, bytes);
    } catch (e) {
      builder.add(finding((e as { code?: string }).code ?? 'signature-unparseable', 'signature', 'malformed', (e as Error).message, path));
      continue;
    }
    const check: SignatureCheck = {
      file: path,
      format: parsed.format,
      keyid: parsed.keyid,
      keySource: 'none',
      algorithm: 'unknown',
      keyFingerprint: null,
      principal: null,
      role: null,
      signer: null,
      claimedTime: null,
      comment: null,
      math: 'not-checked',
      trust: 'unknown-key',
      trustDetail: null,
      statementMatches: null,
      statement: null,
      travellingKeyPem: travelling.get(base)?.pem ?? null,
    };
    builder.signatures.push(check);

    const entry = findTrustEntry(trust, parsed.keyid) ?? (parsed.publicKeyHint ? findTrustEntry(trust, parsed.publicKeyHint) : null);
    let key: PublicKeyInfo | null = null;
    if (entry) {
      key = await keyOf(entry.public_key);
      check.keySource = 'trust-store';
      check.principal = entry.principal;
    } else {
      const t = travelling.get(base);
      if (t && t.key.keyid === parsed.keyid) {
        key = t.key;
        check.keySource = 'travelling';
      } else if (t) {
        builder.add(
          finding(
            'signature-travelling-key-mismatch',
            'signature',
            'warning',
            `${path}: the travelling key beside it has keyid ${t.key.keyid}, not the signature's ${parsed.keyid}; it was not used.`,
            path,
          ),
        );
      }
    }
    if (!key) {
      check.trustDetail = 'No key for this keyid in the trust store, and no travelling key with it.';
      continue;
    }
    check.algorithm = key.algorithm;
    check.keyFingerprint = key.fingerprint;
    const ok = await verifySignature(key, pae(parsed.payloadType, parsed.payload), parsed.sig);
    check.math = ok ? 'valid' : 'invalid';
    if (!ok) {
      const whose = check.keySource === 'trust-store' ? `the trusted key of ${entry!.principal}` : 'its travelling key';
      builder.add(
        finding(
          'signature-invalid',
          'signature',
          'tampered',
          `${path}: the signature does not verify under ${whose} (keyid ${parsed.keyid}).`,
          path,
        ),
      );
      if (entry) check.trust = evaluateTrust(entry, '', at).trust === 'revoked-key' ? 'revoked-key' : 'unknown-key';
      continue;
    }

    let statement;
    try {
      statement = parseStatement(parsed.payload);
    } catch (e) {
      builder.add(
        finding(
          (e as { code?: string }).code ?? 'statement-unparseable',
          'signature',
          'malformed',
          `${path}: ${(e as Error).message}`,
          path,
        ),
      );
      continue;
    }
    check.statement = new TextDecoder().decode(parsed.payload);
    check.role = statement.predicate.role;
    check.signer = statement.predicate.signer;
    check.claimedTime = statement.predicate.signed_at;
    check.comment = statement.predicate.comment;
    const subject = statement.subject.find((s) => s.name === TAGMANIFEST_SHA256);
    const subjectOk = subject !== undefined && subject.digest.sha256 === builder.tagmanifestSha256;
    const idOk = statement.predicate.bundle_id === bundleId;
    check.statementMatches = subjectOk && idOk;
    if (!subjectOk) {
      builder.add(
        finding(
          'signature-subject-mismatch',
          'signature',
          'tampered',
          `${path}: the signed statement names tagmanifest-sha256.txt with digest ${subject?.digest.sha256 ?? '(none)'}, but the bundle's is ${builder.tagmanifestSha256}.`,
          path,
        ),
      );
    }
    if (!idOk) {
      builder.add(
        finding(
          'bundle-id-mismatch',
          'bundle-id',
          'tampered',
          `${path}: the signed statement is for bundle "${String(statement.predicate.bundle_id).slice(0, 140)}", not "${bundleId}".`,
          path,
          'predicate.bundle_id',
        ),
      );
    }
    if (entry) {
      const decision = evaluateTrust(entry, statement.predicate.role, at);
      check.trust = decision.trust;
      check.trustDetail = decision.detail;
    } else {
      check.trustDetail = 'Checked with the key that travels with the bundle; that key is not in your trust store.';
    }
  }
}

export { CancelledError };
