// Giving buffers back at once (shared/platform/release-buffer.ts): the replay worker and the
// index builder release what they no longer read, and never what they hand on.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ownsBuffer, releaseBuffer } from '../../shared/platform/release-buffer';
import { ReplayIndexBuilder, indexBuffers } from '../../shared/model/replay-index';
import { buildDemoPayload } from '../../shared/model/demo';

describe('releaseBuffer', () => {
  it('detaches a buffer with transfer(0) where the engine has it, and leaves an empty one alone', () => {
    const transfer = vi.fn(() => new ArrayBuffer(0));
    const buffer = Object.assign(new ArrayBuffer(16), { transfer });
    releaseBuffer(buffer);
    expect(transfer).toHaveBeenCalledWith(0);
    const empty = Object.assign(new ArrayBuffer(0), { transfer: vi.fn() });
    releaseBuffer(empty);
    expect(empty.transfer).not.toHaveBeenCalled();
  });

  it('does nothing where the engine has no transfer', () => {
    const buffer = new ArrayBuffer(16);
    Object.defineProperty(buffer, 'transfer', { value: undefined });
    releaseBuffer(buffer);
    expect(buffer.byteLength).toBe(16);
  });

  it('owns a buffer only when the view spans all of it', () => {
    const whole = new Uint8Array(8);
    expect(ownsBuffer(whole)).toBe(true);
    expect(ownsBuffer(whole.subarray(1))).toBe(false);
    expect(ownsBuffer(whole.subarray(0, 7))).toBe(false);
  });
});

describe('the replay index builder releases its own columns only', () => {
  // Node 20 has no ArrayBuffer.prototype.transfer; this stand-in detaches the way an engine's does.
  const proto = ArrayBuffer.prototype as { transfer?: (length: number) => ArrayBuffer };
  const native = proto.transfer;
  beforeAll(() => {
    proto.transfer ??= function (this: ArrayBuffer, length: number) {
      const moved = structuredClone(this, { transfer: [this] });
      return moved.slice(0, length);
    };
  });
  afterAll(() => {
    if (!native) delete proto.transfer;
  });

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
