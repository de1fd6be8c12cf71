// The replay worker and its client over an in-process port (messages structured-cloned
// as a real worker would): indexing the demo's chunks, search through lines and offloaded
// payloads, reading a step's events on demand, and refusing `$ref`s that leave the bundle.
import { describe, expect, it } from 'vitest';
import { buildDemoPayload } from '../../shared/model/demo';
import type { Packet } from '../../shared/model/packet-types';
import { EVENT_OFFLOADED, ReplayIndexBuilder, stepBySeq } from '../../shared/model/replay-index';
import { NO_FILTER, filterSteps, packetRefSteps } from '../../shared/model/replay-steps';
import { ReplayClient, ReplayEventReader, createReplayWorkerHandler } from '../../shared/model/replay-worker';
import type { ReplayWorkerPort, ReplayWorkerRequest, ReplayWorkerResponse } from '../../shared/model/replay-worker';

function inProcessPort(release?: (buffer: ArrayBufferLike) => void): ReplayWorkerPort & { received: number } {
  let listener: ((m: ReplayWorkerResponse) => void) | null = null;
  const port = {
    received: 0,
    post(msg: ReplayWorkerRequest, transfer: ArrayBuffer[]) {
      const copy = structuredClone(msg, { transfer });
      port.received += 1;
      setTimeout(() => handler(copy), 0);
    },
    listen(onMessage: (m: ReplayWorkerResponse) => void) {
      listener = onMessage;
    },
    terminate() {},
  };
  const handler = createReplayWorkerHandler((msg, transfer) => {
    const copy = structuredClone(msg, { transfer });
    setTimeout(() => listener?.(copy), 0);
  }, release);
  return port;
}

const payload = buildDemoPayload();
const packet = JSON.parse(new TextDecoder().decode(payload.get('data/packet.json')!)) as Packet;
const candidate = packet.agents.find((a) => a.role === 'candidate')!;
const read = async (path: string, maxBytes: number) => {
  const bytes = payload.get(path);
  if (!bytes) throw new Error(`no entry ${path}`);
  if (bytes.length > maxBytes) throw new Error('too large');
  return bytes.slice();
};
const known = new Set(payload.keys());

/** The demo candidate's replay cut in chunks of `size` lines, as a chunk folder. */
function chunked(size: number): Map<string, Uint8Array> {
  const lines = new TextDecoder().decode(payload.get(candidate.replay!)!).trimEnd().split('\n');
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < lines.length; i += size) {
    const first = JSON.parse(lines[i]!).sequence_number as number;
    out.set(
      `data/replays/${candidate.run_agent_id}/${String(first).padStart(10, '0')}.jsonl`,
      new TextEncoder().encode(`${lines.slice(i, i + size).join('\n')}\n`),
    );
  }
  return out;
}

describe('ReplayClient with the worker handler', () => {
  it('indexes a chunked replay to the same steps as the whole file, reporting progress per chunk', async () => {
    const chunks = chunked(40);
    const client = new ReplayClient(inProcessPort(), async (p) => chunks.get(p)!.slice());
    const progress: number[] = [];
    const index = await client.index(candidate.run_agent_id, [...chunks.keys()], { onProgress: (p) => progress.push(p.entriesDone) });
    const whole = new ReplayIndexBuilder(candidate.run_agent_id);
    whole.addEntry(candidate.replay!, payload.get(candidate.replay!)!);
    const direct = whole.finish();
    expect(index.findings).toEqual([]);
    expect(index.eventCount).toBe(direct.eventCount);
    expect(Array.from(index.stepStart)).toEqual(Array.from(direct.stepStart));
    expect(Array.from(index.stepEnd)).toEqual(Array.from(direct.stepEnd));
    expect(Array.from(index.order)).toEqual(Array.from(direct.order));
    expect(progress).toEqual([...chunks.keys()].map((_, i) => i + 1));
    expect(index.paths.length).toBe(chunks.size);
  });

  it('searches line text and offloaded payloads, mapping hits to events', async () => {
    const client = new ReplayClient(inProcessPort(), read);
    const index = await client.index(candidate.run_agent_id, [candidate.replay!]);
    const refs = packetRefSteps(index, packet);
    const policy = filterSteps(index, { ...NO_FILTER, status: 'policy' }, refs)[0]!;
    const hit = await client.search(index, 'pastebin', known);
    expect([...hit.events].map((e) => index.eventStep[e])).toContain(policy);
    // Only the offloaded payload file says this; the stub line does not.
    const offloadedEvent = [...index.flags.keys()].find((e) => index.flags[e]! & EVENT_OFFLOADED)!;
    const inPayload = await client.search(index, 'History entry 17 for the order', known);
    expect(Array.from(inPayload.events)).toEqual([offloadedEvent]);
    expect(inPayload.payloadsSearched).toBe(1);
    expect((await client.search(index, 'zz-nothing-zz', known)).events.length).toBe(0);
    expect((await client.search(index, '   ', known)).events.length).toBe(0);
  });

  it('releases every entry it was handed once it has indexed or searched it', async () => {
    const released: ArrayBufferLike[] = [];
    const chunks = chunked(40);
    const client = new ReplayClient(
      inProcessPort((b) => released.push(b)),
      async (p) => chunks.get(p)!.slice(),
    );
    const sizes = [...chunks.values()].map((c) => c.byteLength);
    expect(sizes.length).toBeGreaterThan(1);
    const index = await client.index(candidate.run_agent_id, [...chunks.keys()]);
    expect(released.map((b) => b.byteLength)).toEqual(sizes);
    released.length = 0;
    await client.search(index, 'pastebin', known);
    expect(released.map((b) => b.byteLength)).toEqual(sizes);
  });

  it('reports an aborted index as cancelled and a failed read as an error', async () => {
    const controller = new AbortController();
    controller.abort();
    const client = new ReplayClient(inProcessPort(), read);
    await expect(client.index(candidate.run_agent_id, [candidate.replay!], { signal: controller.signal })).rejects.toThrow('Cancelled');
    await expect(client.index(candidate.run_agent_id, ['data/replays/missing.jsonl'])).rejects.toThrow('no entry');
    // The client still works after both.
    expect((await client.index(candidate.run_agent_id, [candidate.replay!])).eventCount).toBeGreaterThan(100);
  });

  it('fails every pending call when the worker dies', async () => {
    let fail: (m: string) => void = () => undefined;
    const port: ReplayWorkerPort = {
      post() {},
      listen(_m, f) {
        fail = f;
      },
      terminate() {},
    };
    const client = new ReplayClient(port, read);
    const pending = client.index(candidate.run_agent_id, [candidate.replay!]);
    fail('out of memory');
    await expect(pending).rejects.toThrow('The replay worker stopped: out of memory');
    await expect(client.index(candidate.run_agent_id, [])).rejects.toThrow('out of memory');
  });
});

describe('ReplayEventReader', () => {
  const b = new ReplayIndexBuilder(candidate.run_agent_id);
  b.addEntry(candidate.replay!, payload.get(candidate.replay!)!);
  const index = b.finish();

  it("reads a step's event line and follows its $ref to the payload file", async () => {
    const reader = new ReplayEventReader(read, known);
    const e = stepBySeq(index, index.seq[5]!);
    const plain = await reader.readEvent(index, index.stepStart[e]!);
    expect((plain.value as { sequence_number: number }).sequence_number).toBe(index.seq[index.stepStart[e]!]);
    expect(plain.offloaded).toBeNull();
    const stub = [...index.flags.keys()].find((i) => index.flags[i]! & EVENT_OFFLOADED)!;
    const off = await reader.readEvent(index, stub);
    expect(off.offloaded!.error).toBeNull();
    expect(off.offloaded!.text).toContain('History entry 1 for the order');
    expect(off.offloaded!.path).toMatch(/^data\/replays\/payloads\//);
  });

  it('does not follow a $ref out of the payload folder or to a file the manifest does not list', async () => {
    const enc = new TextEncoder();
    const lines = [
      {
        sequence_number: 1,
        event_type: 'tool.call.completed',
        run_agent_id: 'ra',
        payload: { $ref: '../../packet.json', bytes: 1, type: 'x' },
      },
      {
        sequence_number: 2,
        event_type: 'tool.call.completed',
        run_agent_id: 'ra',
        payload: { $ref: 'run-events/ra/none.json', bytes: 1, type: 'x' },
      },
    ];
    const files = new Map([
      ['r.jsonl', enc.encode(lines.map((l) => JSON.stringify(l)).join('\n'))],
      ['data/packet.json', enc.encode('{}')],
    ]);
    const rb = new ReplayIndexBuilder('ra');
    rb.addEntry('r.jsonl', files.get('r.jsonl')!);
    const idx = rb.finish();
    const reads: string[] = [];
    const reader = new ReplayEventReader(async (p) => {
      reads.push(p);
      return files.get(p)!;
    }, new Set(files.keys()));
    const outside = await reader.readEvent(idx, 0);
    expect(outside.offloaded).toMatchObject({ path: null, text: null });
    expect(outside.offloaded!.error).toContain('outside');
    const unlisted = await reader.readEvent(idx, 1);
    expect(unlisted.offloaded!.error).toContain('names no intact file');
    expect(reads).toEqual(['r.jsonl']);
  });
});
