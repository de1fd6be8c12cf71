import { describe, expect, it } from 'vitest';
import {
  CHANNEL_PREFIX,
  EVENT,
  INVOKE,
  LIMITS,
  VALIDATE,
  checkBundleHandle,
  checkTrustStore,
  isInvokeChannel,
} from '../../../shared/ipc/contract';

const entry = {
  keyid: 'abc',
  public_key: '-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----\n',
  principal: 'Dana',
  roles: ['approver'],
  valid_from: null,
  valid_until: '2036-01-01T00:00:00Z',
  revoked_at: null,
  revocation_reason: null,
};

describe('channels', () => {
  it('are all prefixed, distinct, and each has a validator', () => {
    const all = [...Object.values(INVOKE), ...Object.values(EVENT)];
    for (const c of all) expect(c.startsWith(CHANNEL_PREFIX)).toBe(true);
    expect(new Set(all).size).toBe(all.length);
    expect(Object.keys(VALIDATE).sort()).toEqual([...Object.values(INVOKE)].sort());
    expect(isInvokeChannel(INVOKE.verify)).toBe(true);
    expect(isInvokeChannel('exhibit:nope')).toBe(false);
    expect(isInvokeChannel(EVENT.openRequest)).toBe(false);
  });
});

describe('payload validation', () => {
  const verify = VALIDATE[INVOKE.verify];

  it('accepts a well-formed verify request and copies only known fields', () => {
    const r = verify({ bundleId: 'b1', jobId: 'job1_x', trust: { keys: [entry] }, at: '2026-11-03T10:00:00Z' });
    expect(r).toEqual({ ok: true, value: { bundleId: 'b1', jobId: 'job1_x', trust: { keys: [entry] }, at: '2026-11-03T10:00:00Z' } });
    if (r.ok) expect(r.value.trust.keys[0]).not.toBe(entry);
  });

  it('refuses wrong types, extra fields, bad ids and bad times', () => {
    const base = { bundleId: 'b1', jobId: 'j1', trust: { keys: [] } };
    const bad: unknown[] = [
      undefined,
      null,
      'b1',
      [base],
      { ...base, extra: 1 },
      { ...base, bundleId: '../../etc' },
      { ...base, bundleId: 'x'.repeat(65) },
      { ...base, bundleId: 7 },
      { ...base, jobId: '' },
      { ...base, trust: null },
      { ...base, trust: { keys: 'all' } },
      { ...base, trust: { keys: [], more: 1 } },
      { ...base, trust: { keys: [{ ...entry, roles: 'approver' }] } },
      { ...base, trust: { keys: [{ ...entry, extra: true }] } },
      { ...base, trust: { keys: [{ ...entry, keyid: 5 }] } },
      { ...base, trust: { keys: [{ ...entry, revoked_at: 0 }] } },
      { ...base, trust: { keys: [{ ...entry, principal: 'a\0b' }] } },
      { ...base, at: 'yesterday' },
      { ...base, at: '2026-13-45T99:99:99Z' },
      { ...base, at: 12 },
      Object.assign(Object.create({ inherited: true }), base),
    ];
    for (const v of bad) expect(verify(v).ok, JSON.stringify(v)).toBe(false);
  });

  it('bounds the trust store', () => {
    const keys = Array.from({ length: LIMITS.maxTrustKeys + 1 }, () => entry);
    expect(checkTrustStore({ keys }).ok).toBe(false);
    expect(checkTrustStore({ keys: [{ ...entry, public_key: 'x'.repeat(LIMITS.maxTrustString + 1) }] }).ok).toBe(false);
    expect(checkTrustStore({ keys: [{ ...entry, roles: Array.from({ length: LIMITS.maxRoles + 1 }, () => 'r') }] }).ok).toBe(false);
  });

  it('read-entry: bounded path and maxBytes', () => {
    const read = VALIDATE[INVOKE.readEntry];
    expect(read({ bundleId: 'b', path: 'data/packet.json' })).toEqual({ ok: true, value: { bundleId: 'b', path: 'data/packet.json' } });
    expect(read({ bundleId: 'b', path: 'data/x', maxBytes: 1024 })).toEqual({
      ok: true,
      value: { bundleId: 'b', path: 'data/x', maxBytes: 1024 },
    });
    for (const v of [
      { bundleId: 'b', path: '' },
      { bundleId: 'b', path: 'x'.repeat(LIMITS.maxEntryPathLength + 1) },
      { bundleId: 'b', path: 3 },
      { bundleId: 'b', path: 'a', maxBytes: -1 },
      { bundleId: 'b', path: 'a', maxBytes: 1.5 },
      { bundleId: 'b', path: 'a', maxBytes: LIMITS.maxReadBytes + 1 },
      { bundleId: 'b', path: 'a', maxBytes: '10' },
    ]) {
      expect(read(v).ok, JSON.stringify(v)).toBe(false);
    }
  });

  it('save: bytes must be a bounded Uint8Array and the media type well-formed', () => {
    const save = VALIDATE[INVOKE.saveFile];
    expect(save({ suggestedName: 'a.pdf', bytes: new Uint8Array(3), mediaType: 'application/pdf' }).ok).toBe(true);
    expect(save({ suggestedName: 'a.pdf', bytes: [1, 2, 3], mediaType: 'application/pdf' }).ok).toBe(false);
    expect(save({ suggestedName: 'a.pdf', bytes: new ArrayBuffer(3), mediaType: 'application/pdf' }).ok).toBe(false);
    expect(save({ suggestedName: 'a.pdf', bytes: 'abc', mediaType: 'application/pdf' }).ok).toBe(false);
    expect(save({ suggestedName: 'a.pdf', bytes: new Uint8Array(1), mediaType: 'text/html\r\nX: y' }).ok).toBe(false);
    expect(save({ suggestedName: 'x'.repeat(256), bytes: new Uint8Array(1), mediaType: 'application/pdf' }).ok).toBe(false);
    // An oversized buffer is refused without being copied.
    const huge = { byteLength: LIMITS.maxSaveBytes + 1 };
    Object.setPrototypeOf(huge, Uint8Array.prototype);
    expect(save({ suggestedName: 'a.pdf', bytes: huge, mediaType: 'application/pdf' })).toEqual({
      ok: false,
      error: `bytes exceed ${LIMITS.maxSaveBytes}`,
    });
  });

  it('argument-less channels refuse arguments', () => {
    expect(VALIDATE[INVOKE.openDialog](undefined).ok).toBe(true);
    expect(VALIDATE[INVOKE.openDialog]({ path: '/etc/passwd' }).ok).toBe(false);
    expect(VALIDATE[INVOKE.openDemo]('x').ok).toBe(false);
    expect(VALIDATE[INVOKE.openRequestsReady](0).ok).toBe(false);
  });

  it('open-dropped takes one bounded path string', () => {
    const drop = VALIDATE[INVOKE.openDropped];
    expect(drop({ path: '/home/a/b.evb' })).toEqual({ ok: true, value: { path: '/home/a/b.evb' } });
    expect(drop({ path: '' }).ok).toBe(false);
    expect(drop({ path: 'a\0.evb' }).ok).toBe(false);
    expect(drop({ path: 'x'.repeat(LIMITS.maxPathLength + 1) }).ok).toBe(false);
    expect(drop({ path: ['/a.evb'] }).ok).toBe(false);
  });

  it('reopen-recent takes one token (an id main made), never a path', () => {
    const reopen = VALIDATE[INVOKE.reopenRecent];
    expect(reopen({ token: 'a1b2' })).toEqual({ ok: true, value: { token: 'a1b2' } });
    expect(reopen({ token: '/home/a/x.evb' }).ok).toBe(false);
    expect(reopen({ token: 'a1', path: '/x.evb' }).ok).toBe(false);
    expect(reopen({ token: 'x'.repeat(65) }).ok).toBe(false);
    expect(reopen(undefined).ok).toBe(false);
  });

  it('cancel and close take ids', () => {
    expect(VALIDATE[INVOKE.cancelVerify]({ jobId: 'j1' }).ok).toBe(true);
    expect(VALIDATE[INVOKE.cancelVerify]({ jobId: 'j 1' }).ok).toBe(false);
    expect(VALIDATE[INVOKE.close]({ bundleId: 'b' }).ok).toBe(true);
    expect(VALIDATE[INVOKE.close]({ bundleId: {} }).ok).toBe(false);
  });
});

describe('checkBundleHandle', () => {
  it('accepts handles and refuses anything else', () => {
    expect(checkBundleHandle({ id: 'abc', name: 'a.evb', size: 10 })).toEqual({ ok: true, value: { id: 'abc', name: 'a.evb', size: 10 } });
    expect(checkBundleHandle({ id: 'abc', name: 'a.evb', size: -1 }).ok).toBe(false);
    expect(checkBundleHandle({ id: 'a/b', name: 'a.evb', size: 1 }).ok).toBe(false);
    expect(checkBundleHandle(null).ok).toBe(false);
    expect(checkBundleHandle({ id: 'abc', name: 'a.evb', size: 1, reopenToken: 't1' })).toEqual({
      ok: true,
      value: { id: 'abc', name: 'a.evb', size: 1, reopenToken: 't1' },
    });
    expect(checkBundleHandle({ id: 'abc', name: 'a.evb', size: 1, reopenToken: 'C:\\x.evb' }).ok).toBe(false);
  });
});
