// The typed IPC contract between Electron's main process, the preload and the renderer:
// channel names (all prefixed), what each carries, and the validators main runs on every
// payload before acting on it. Pure: no electron, no node:*.

import type { Progress } from '../platform/ports';
import type { VerificationReport } from '../evb/report';
import type { TrustEntry, TrustStore } from '../evb/crypto-types';
import type { BundleHandle, HostApi, SaveResult, Unsubscribe, VerifyRequest } from './host-api';
import { DEFAULT_READ_BYTES } from '../evb/limits';

export const CHANNEL_PREFIX = 'exhibit:';

/** Renderer -> main requests (ipcRenderer.invoke / ipcMain.handle). */
export const INVOKE = {
  openDialog: 'exhibit:bundle:open-dialog',
  openDropped: 'exhibit:bundle:open-dropped',
  openDemo: 'exhibit:bundle:open-demo',
  reopenRecent: 'exhibit:bundle:reopen-recent',
  verify: 'exhibit:bundle:verify',
  cancelVerify: 'exhibit:bundle:cancel-verify',
  readEntry: 'exhibit:bundle:read-entry',
  close: 'exhibit:bundle:close',
  saveFile: 'exhibit:file:save',
  openRequestsReady: 'exhibit:open-requests:ready',
} as const;

/** Main -> renderer events (webContents.send / ipcRenderer.on). */
export const EVENT = {
  openRequest: 'exhibit:event:open-request',
  verifyProgress: 'exhibit:event:verify-progress',
} as const;

export type InvokeChannel = (typeof INVOKE)[keyof typeof INVOKE];

/** Payload and result of each invoke channel. */
export interface InvokeMap {
  'exhibit:bundle:open-dialog': { args: null; result: BundleHandle | null };
  /** The path is derived by the preload from a dropped File (webUtils.getPathForFile), never typed by the page. */
  'exhibit:bundle:open-dropped': { args: { path: string }; result: BundleHandle };
  'exhibit:bundle:open-demo': { args: null; result: BundleHandle };
  /** A token main gave with an earlier handle; main looks the path up itself. */
  'exhibit:bundle:reopen-recent': { args: { token: string }; result: BundleHandle };
  'exhibit:bundle:verify': { args: { bundleId: string; jobId: string; trust: TrustStore; at?: string }; result: VerificationReport };
  'exhibit:bundle:cancel-verify': { args: { jobId: string }; result: void };
  'exhibit:bundle:read-entry': { args: { bundleId: string; path: string; maxBytes?: number }; result: Uint8Array };
  'exhibit:bundle:close': { args: { bundleId: string }; result: void };
  'exhibit:file:save': { args: { suggestedName: string; bytes: Uint8Array; mediaType: string }; result: SaveResult };
  /** The renderer subscribed to open requests: main returns those already pending and sends later ones as events. */
  'exhibit:open-requests:ready': { args: null; result: BundleHandle[] };
}

export interface EventMap {
  'exhibit:event:open-request': BundleHandle;
  'exhibit:event:verify-progress': { jobId: string; progress: Progress };
}

/** Where the preload puts the bridge in the page (contextBridge.exposeInMainWorld). */
export const BRIDGE_GLOBAL = 'exhibitHost';

/**
 * What the preload exposes. It is HostApi with the one thing contextBridge cannot carry
 * adapted: an AbortSignal loses its prototype crossing the bridge, so `verify` takes a job
 * id and `cancelVerify` cancels it. ElectronHost (renderer/host) turns this back into
 * exactly HostApi. `fileSha256` does not cross: Electron's verifier puts the file's SHA-256
 * in the report, and ElectronHost answers from there.
 */
export interface ExhibitBridge extends Omit<HostApi, 'kind' | 'verify' | 'fileSha256' | 'onOpenRequest'> {
  readonly kind: 'electron';
  verify(bundle: BundleHandle, request: VerifyRequest, onProgress: (p: Progress) => void, jobId: string): Promise<VerificationReport>;
  cancelVerify(jobId: string): void;
  onOpenRequest(listener: (bundle: BundleHandle) => void): Unsubscribe;
}

// ---------------------------------------------------------------------------------------
// Validation. Each validator takes what arrived (unknown) and returns the typed value or
// a reason; main refuses the call on a reason. Bounds are generous for real use and small
// enough that a hostile renderer cannot make main allocate or loop without limit.

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export const LIMITS = {
  /** Ids: opaque bundle ids and reopen tokens made by main, job ids made by the renderer. */
  idPattern: /^[A-Za-z0-9_-]{1,64}$/,
  maxPathLength: 4096,
  maxEntryPathLength: 1024,
  maxTrustKeys: 10_000,
  maxTrustString: 16 * 1024,
  maxRoles: 64,
  /** The PDF the renderer saves. */
  maxSaveBytes: 512 * 1024 * 1024,
  maxNameLength: 255,
  maxMediaTypeLength: 127,
  /** readEntry's own ceiling (the verifier's default read limit). */
  maxReadBytes: DEFAULT_READ_BYTES,
} as const;

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = <T>(error: string): Checked<T> => ({ ok: false, error });

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Own keys must be a subset of `allowed`; required ones present. */
function checkKeys(v: Record<string, unknown>, required: readonly string[], optional: readonly string[] = []): string | null {
  for (const k of Object.keys(v)) if (!required.includes(k) && !optional.includes(k)) return `unexpected field "${k.slice(0, 40)}"`;
  for (const k of required) if (!(k in v)) return `missing field "${k}"`;
  return null;
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && LIMITS.idPattern.test(v);
}

function isBoundedString(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length <= max && !v.includes('\0');
}

function isNullableString(v: unknown, max: number): v is string | null {
  return v === null || isBoundedString(v, max);
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function checkTrustEntry(v: unknown): Checked<TrustEntry> {
  if (!isPlainObject(v)) return bad('a trust entry must be an object');
  const keyError = checkKeys(v, [
    'keyid',
    'public_key',
    'principal',
    'roles',
    'valid_from',
    'valid_until',
    'revoked_at',
    'revocation_reason',
  ]);
  if (keyError) return bad(`trust entry: ${keyError}`);
  const max = LIMITS.maxTrustString;
  if (!isBoundedString(v.keyid, max) || !isBoundedString(v.public_key, max) || !isBoundedString(v.principal, max))
    return bad('trust entry: keyid, public_key and principal must be strings');
  if (!Array.isArray(v.roles) || v.roles.length > LIMITS.maxRoles || !v.roles.every((r) => isBoundedString(r, 256)))
    return bad('trust entry: roles must be a short list of strings');
  for (const k of ['valid_from', 'valid_until', 'revoked_at', 'revocation_reason'] as const) {
    if (!isNullableString(v[k], max)) return bad(`trust entry: ${k} must be a string or null`);
  }
  return ok({
    keyid: v.keyid,
    public_key: v.public_key,
    principal: v.principal,
    roles: [...(v.roles as string[])],
    valid_from: v.valid_from as string | null,
    valid_until: v.valid_until as string | null,
    revoked_at: v.revoked_at as string | null,
    revocation_reason: v.revocation_reason as string | null,
  });
}

export function checkTrustStore(v: unknown): Checked<TrustStore> {
  if (!isPlainObject(v)) return bad('the trust store must be an object');
  const keyError = checkKeys(v, ['keys']);
  if (keyError) return bad(`trust store: ${keyError}`);
  if (!Array.isArray(v.keys)) return bad('trust store: keys must be a list');
  if (v.keys.length > LIMITS.maxTrustKeys) return bad(`trust store: more than ${LIMITS.maxTrustKeys} keys`);
  const keys: TrustEntry[] = [];
  for (const k of v.keys) {
    const c = checkTrustEntry(k);
    if (!c.ok) return bad(c.error);
    keys.push(c.value);
  }
  return ok({ keys });
}

function none(v: unknown): Checked<null> {
  return v === undefined || v === null ? ok(null) : bad('this call takes no argument');
}

function object<T>(
  v: unknown,
  required: readonly string[],
  optional: readonly string[],
  build: (o: Record<string, unknown>) => Checked<T>,
): Checked<T> {
  if (!isPlainObject(v)) return bad('the argument must be a plain object');
  const keyError = checkKeys(v, required, optional);
  if (keyError) return bad(keyError);
  return build(v);
}

/** Validators per invoke channel: unknown -> typed args, or a reason to refuse. */
export const VALIDATE: { [C in InvokeChannel]: (v: unknown) => Checked<InvokeMap[C]['args']> } = {
  'exhibit:bundle:open-dialog': none,
  'exhibit:bundle:open-demo': none,
  'exhibit:open-requests:ready': none,
  'exhibit:bundle:open-dropped': (v) =>
    object(v, ['path'], [], (o) =>
      isBoundedString(o.path, LIMITS.maxPathLength) && o.path.length > 0 ? ok({ path: o.path }) : bad('path must be a non-empty string'),
    ),
  'exhibit:bundle:verify': (v) =>
    object(v, ['bundleId', 'jobId', 'trust'], ['at'], (o) => {
      if (!isId(o.bundleId)) return bad('bundleId is not a bundle id');
      if (!isId(o.jobId)) return bad('jobId is not a job id');
      const trust = checkTrustStore(o.trust);
      if (!trust.ok) return bad(trust.error);
      if (o.at !== undefined && !(typeof o.at === 'string' && ISO_8601.test(o.at) && !Number.isNaN(Date.parse(o.at))))
        return bad('at must be an ISO 8601 time');
      const value: InvokeMap['exhibit:bundle:verify']['args'] = { bundleId: o.bundleId, jobId: o.jobId, trust: trust.value };
      if (o.at !== undefined) value.at = o.at as string;
      return ok(value);
    }),
  'exhibit:bundle:reopen-recent': (v) =>
    object(v, ['token'], [], (o) => (isId(o.token) ? ok({ token: o.token }) : bad('token is not a reopen token'))),
  'exhibit:bundle:cancel-verify': (v) =>
    object(v, ['jobId'], [], (o) => (isId(o.jobId) ? ok({ jobId: o.jobId }) : bad('jobId is not a job id'))),
  'exhibit:bundle:read-entry': (v) =>
    object(v, ['bundleId', 'path'], ['maxBytes'], (o) => {
      if (!isId(o.bundleId)) return bad('bundleId is not a bundle id');
      if (!isBoundedString(o.path, LIMITS.maxEntryPathLength) || o.path.length === 0) return bad('path must be a non-empty entry path');
      const value: InvokeMap['exhibit:bundle:read-entry']['args'] = { bundleId: o.bundleId, path: o.path };
      if (o.maxBytes !== undefined) {
        if (!Number.isSafeInteger(o.maxBytes) || (o.maxBytes as number) < 0 || (o.maxBytes as number) > LIMITS.maxReadBytes)
          return bad(`maxBytes must be an integer from 0 to ${LIMITS.maxReadBytes}`);
        value.maxBytes = o.maxBytes as number;
      }
      return ok(value);
    }),
  'exhibit:bundle:close': (v) =>
    object(v, ['bundleId'], [], (o) => (isId(o.bundleId) ? ok({ bundleId: o.bundleId }) : bad('bundleId is not a bundle id'))),
  'exhibit:file:save': (v) =>
    object(v, ['suggestedName', 'bytes', 'mediaType'], [], (o) => {
      if (!isBoundedString(o.suggestedName, LIMITS.maxNameLength)) return bad('suggestedName must be a short string');
      if (!(o.bytes instanceof Uint8Array)) return bad('bytes must be a Uint8Array');
      if (o.bytes.byteLength > LIMITS.maxSaveBytes) return bad(`bytes exceed ${LIMITS.maxSaveBytes}`);
      if (
        !isBoundedString(o.mediaType, LIMITS.maxMediaTypeLength) ||
        !/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i.test(o.mediaType)
      )
        return bad('mediaType is not a media type');
      return ok({ suggestedName: o.suggestedName, bytes: o.bytes, mediaType: o.mediaType });
    }),
};

/** Checks a BundleHandle arriving from main (the preload re-checks what it forwards). */
export function checkBundleHandle(v: unknown): Checked<BundleHandle> {
  if (!isPlainObject(v)) return bad('a bundle handle must be an object');
  if (!isId(v.id) || !isBoundedString(v.name, LIMITS.maxNameLength) || !Number.isSafeInteger(v.size) || (v.size as number) < 0)
    return bad('not a bundle handle');
  if (v.reopenToken !== undefined && !isId(v.reopenToken)) return bad('not a bundle handle');
  const handle: BundleHandle = { id: v.id, name: v.name, size: v.size as number };
  if (v.reopenToken !== undefined) handle.reopenToken = v.reopenToken;
  return ok(handle);
}

export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && (Object.values(INVOKE) as string[]).includes(channel);
}
