// Pure parts of the Replay tab and the trust panel (issue 18 sections 5-7): the duration
// anomaly, the case picker's matching, the split's bounds, the non-bundle refusal, the
// revocation day and the one fingerprint form.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { describeStepDuration } from '../../renderer/replay/format';
import { matchCases } from '../../renderer/replay/CasePicker';
import { clampSplit } from '../../renderer/replay/ReplaySplit';
import { notABundle } from '../../renderer/bundle-sniff';
import { revocationTime } from '../../renderer/trust/RevokeForm';
import { keyidToHex } from '../../renderer/trust/Fingerprint';
import { generateEd25519KeyPair } from '../../shared/evb/keys';

describe('describeStepDuration', () => {
  it('shows an end before the start as the anomaly, never a negative number', () => {
    const d = describeStepDuration(-948_267_000);
    expect(d.text).toBe('end before start');
    expect(d.text).not.toMatch(/\d/);
    expect(d.anomaly).toContain('before its first');
  });
  it('formats ordinary and missing durations', () => {
    expect(describeStepDuration(1_090)).toEqual({ text: '1.09 s', anomaly: null });
    expect(describeStepDuration(0)).toEqual({ text: '0 ms', anomaly: null });
    expect(describeStepDuration(null)).toEqual({ text: '—', anomaly: null });
  });
});

describe('matchCases', () => {
  const cases = Array.from({ length: 8_000 }, (_, i) => `case-${i}`);
  it('lists at most the first 50 matches and counts all', () => {
    const all = matchCases(cases, '');
    expect(all.shown).toHaveLength(50);
    expect(all.total).toBe(8_000);
  });
  it('matches any part of the key, ignoring case', () => {
    expect(matchCases(cases, 'CASE-799')).toEqual({
      shown: ['case-799', ...Array.from({ length: 10 }, (_, i) => `case-799${i}`)],
      total: 11,
    });
    expect(matchCases(cases, 'nope').total).toBe(0);
  });
});

describe('clampSplit', () => {
  it('keeps the list between 30% and 75% of the width, and a default for nonsense', () => {
    expect(clampSplit(0.1)).toBe(0.3);
    expect(clampSplit(0.9)).toBe(0.75);
    expect(clampSplit(0.5)).toBe(0.5);
    expect(clampSplit(NaN)).toBe(0.56);
  });
});

describe('notABundle', () => {
  it('refuses a PNG (the app icon, written by a real encoder) and names what it is', () => {
    const png = new Uint8Array(readFileSync('build/evb.png').subarray(0, 8));
    expect(notABundle(png, 'shot.png')).toContain('shot.png is not an evidence bundle (a PNG image');
    expect(notABundle(new Uint8Array(), 'empty.evb')).toContain('an empty file');
  });
  it('lets any zip through (a broken bundle is still opened, and shown as malformed)', () => {
    expect(notABundle(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), 'b.evb')).toBeNull();
    expect(notABundle(new Uint8Array([0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0]), 'empty.zip')).toBeNull();
  });
});

describe('revocationTime', () => {
  it('is the first second of the chosen day, UTC; nothing for a non-date', () => {
    expect(revocationTime('2026-11-01')).toBe('2026-11-01T00:00:00Z');
    expect(revocationTime('')).toBeNull();
    expect(revocationTime('2026-13-45')).toBeNull();
    // A day that does not exist (V8's Date.parse rolls it over to 2 March).
    expect(revocationTime('2026-02-30')).toBeNull();
    expect(revocationTime('2028-02-29')).toBe('2028-02-29T00:00:00Z');
  });
});

describe('keyidToHex', () => {
  it('gives the hex fingerprint of a base64 keyid (the same SHA-256 of the SPKI)', async () => {
    const k = await generateEd25519KeyPair();
    expect(keyidToHex(k.keyid)).toBe(k.fingerprint);
    expect(keyidToHex('not base64!')).toBeNull();
  });
});
