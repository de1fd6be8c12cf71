// Bundles for the E2E tests, made at test time by the project's own writer
// (shared/evb/writer via test/helpers/bundles) plus byte edits.
import { FIXTURE_ID, fixtureBag, fixturePayload, minimalPacket, signer, testKeys, zipFixture } from '../../helpers/bundles';
import type { Packet } from '../../../shared/model/packet-types';

const enc = new TextEncoder();

/** A signed bundle whose replay was edited after signing: its digest no longer matches. */
export async function tamperedBundle(): Promise<Uint8Array> {
  const [key] = await testKeys();
  const bag = await fixtureBag({ signers: [signer(key, 'producer')] });
  const replay = bag.get('data/replays/ra-candidate.jsonl')!;
  const edited = new TextDecoder().decode(replay).replace('system.run.completed', 'system.run.complete_');
  bag.set('data/replays/ra-candidate.jsonl', enc.encode(edited));
  return zipFixture(bag);
}

/** A bundle without bagit.txt: not a well-formed EVB. */
export async function malformedBundle(): Promise<Uint8Array> {
  const [key] = await testKeys();
  const bag = await fixtureBag({ signers: [signer(key, 'producer')] });
  bag.delete('bagit.txt');
  return zipFixture(bag);
}

export const HOSTILE = {
  script: '<script>window.__pwned = "script"</script>',
  onerror: '<img src=x onerror="window.__pwned=\'onerror\'">',
  js: 'javascript:window.__pwned="js"',
};

/** A signed, intact bundle whose packet and replay text carry script, onerror= and javascript:. */
export async function hostileBundle(): Promise<Uint8Array> {
  const [key] = await testKeys();
  const packet = minimalPacket(FIXTURE_ID) as unknown as Packet;
  packet.title = `Release ${HOSTILE.script}`;
  packet.decision.rationale = `See ${HOSTILE.onerror} and ${HOSTILE.js}`;
  packet.decision.conditions = [HOSTILE.js, HOSTILE.onerror];
  const agent = packet.agents[0]!;
  agent.label = `agent ${HOSTILE.onerror}`;
  agent.ai_bom!.models = [HOSTILE.script];
  agent.network!.allowlist = ['http://evil.example/steal', HOSTILE.js];
  packet.owners.release_owner = { name: HOSTILE.script, email: HOSTILE.js };
  packet.gate.summary = HOSTILE.onerror;
  packet.cases = [
    {
      case_key: 'c1',
      challenge_key: 'x',
      title: HOSTILE.onerror,
      baseline: { verdict: 'pass', score: 1, cost_usd: 0.01, latency_ms: 10 },
      candidate: { verdict: 'fail', score: 0, cost_usd: null, latency_ms: 10 },
      drove_verdict: true,
      refs: [{ run_agent_id: 'ra-candidate', sequence_number: 2, note: HOSTILE.script }],
    },
  ];
  const payload = fixturePayload(FIXTURE_ID, packet);
  const hostileLine = JSON.stringify({
    event_id: 'e5',
    schema_version: '2026-03-15',
    run_id: 'run',
    run_agent_id: 'ra-candidate',
    sequence_number: 5,
    event_type: 'model.output.delta',
    source: 'native_engine',
    occurred_at: '2026-11-01T10:00:09Z',
    payload: { text: `${HOSTILE.script} ${HOSTILE.onerror} ${HOSTILE.js}`, url: HOSTILE.js, image: 'https://evil.example/x.png' },
    summary: { note: HOSTILE.onerror },
  });
  const replay = new TextDecoder().decode(payload.get('data/replays/ra-candidate.jsonl')!);
  payload.set('data/replays/ra-candidate.jsonl', enc.encode(`${replay}${hostileLine}\n`));
  const bag = await fixtureBag({ payload, signers: [signer(key, 'producer')] });
  return zipFixture(bag);
}

/** A signed bundle with `count` small payload files (besides the packet and replays). */
export async function bigBundle(count: number): Promise<Uint8Array> {
  const [key] = await testKeys();
  const payload = fixturePayload(FIXTURE_ID);
  for (let i = 0; i < count; i++) payload.set(`data/f/${String(i).padStart(5, '0')}.txt`, enc.encode(`file ${i}\n`));
  const bag = await fixtureBag({ payload, signers: [signer(key, 'producer')] });
  return zipFixture(bag);
}
