// Giving buffers back at once (shared/platform/release-buffer.ts): the replay worker and the
// index builder release what they no longer read, and never what they hand on.
import { describe, expect, it } from 'vitest';
import { ownsBuffer, releaseBuffer, releaseBuffers, releaseLarge } from '../../shared/platform/release-buffer';
import { ReplayIndexBuilder, indexBuffers } from '../../shared/model/replay-index';
import { buildDemoPayload } from '../../shared/model/demo';

describe('releaseBuffers', () => {
  it('detaches the buffers it is given, whoever made them, and leaves empty ones alone', () => {
    const made = new Uint8Array(1024).buffer;
    const received = structuredClone(new Uint8Array(64).buffer);
    const empty = new ArrayBuffer(0);
    releaseBuffers([made, received, empty]);
    expect(made.byteLength).toBe(0);
    expect(received.byteLength).toBe(0);
    releaseBuffer(made); // already released: nothing happens
    expect(made.byteLength).toBe(0);
  });

  it('frees a large view only when it spans its whole buffer', () => {
    const big = new Uint8Array(1024 * 1024);
    releaseLarge(big.subarray(1));
    expect(big.byteLength).toBe(1024 * 1024);
    const small = new Uint8Array(1024);
    releaseLarge(small);
    expect(small.byteLength).toBe(1024);
    releaseLarge(big);
    expect(big.byteLength).toBe(0);
  });

  it('owns a buffer only when the view spans all of it', () => {
    const whole = new Uint8Array(8);
    expect(ownsBuffer(whole)).toBe(true);
    expect(ownsBuffer(whole.subarray(1))).toBe(false);
    expect(ownsBuffer(whole.subarray(0, 7))).toBe(false);
  });
});

describe('the replay index builder releases its own columns only', () => {
  it('builds from chunks across many column growths to the same index as without releasing, and makes one index', () => {
    const payload = buildDemoPayload();
    const path = [...payload.keys()].find((k) => /replays\/ra-cand-[^/]+\.jsonl$/.test(k))!;
    const lines = new TextDecoder().decode(payload.get(path)!).trimEnd().split('\n');
    // The candidate's replay eleven times over (about 4,200 events: the 1,024-slot columns grow three times).
    const chunk = new TextEncoder().encode(`${lines.join('\n')}\n`);
    const b = new ReplayIndexBuilder('ra-cand-7d21');
    for (let i = 0; i < 11; i++) b.addEntry(path, chunk.slice());
    const index = b.finish();
    expect(index.eventCount).toBe(11 * lines.length);
    expect(index.seq.length).toBe(index.eventCount);
    expect(index.outputStart.length).toBe(index.eventCount + 1);
    expect(index.stepStart.length).toBe(index.stepCount);
    for (const buffer of indexBuffers(index)) expect(buffer.byteLength).toBeGreaterThan(0);
    expect(Array.from(index.offset.subarray(0, lines.length))).toEqual(
      Array.from(index.offset.subarray(10 * lines.length, 11 * lines.length)),
    );
    expect(index.seq[11 * lines.length - 1]).toBe(index.seq[lines.length - 1]);
    expect(() => b.finish()).toThrow('finished');
    expect(() => b.addEntry(path, chunk)).toThrow('finished');
  });
});
