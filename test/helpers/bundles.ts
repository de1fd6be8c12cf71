// Builds real evidence bundles in memory with the project's own writer, for tests.
import { makeBag, makeSignatureFiles, zipBag } from '../../shared/evb/writer';
import type { BagFiles, SignBagOptions } from '../../shared/evb/writer';
import type { SigningKey } from '../../shared/evb/keys';
import { generateEd25519KeyPair, importSigningKey } from '../../shared/evb/keys';
import { addTrustedKey, emptyTrustStore } from '../../shared/evb/trust';
import type { TrustStore } from '../../shared/evb/crypto-types';
import { verifyBundle } from '../../shared/evb/verify';
import { parsePacket } from '../../shared/model/packet';
import type { VerifyOptions } from '../../shared/evb/verify';
import { bytesSource } from '../../shared/platform/ports';
import { nodePlatform } from '../../shared/platform/node';

export const FIXTURE_ID = 'fixture-bundle-1';
const enc = new TextEncoder();

/** A small packet valid per spec 4.1, naming the files the fixture payload holds. */
export function minimalPacket(bundleId = FIXTURE_ID): Record<string, unknown> {
  const participant = (role: 'baseline' | 'candidate') => ({
    label: role === 'candidate' ? 'support-agent v2.4.0' : 'support-agent v2.3.1',
    agent_build_id: `build-${role}`,
    build_version_id: `bv-${role}`,
    deployment_id: `dep-${role}`,
    deployment_name: `support-${role}`,
    snapshot_hash: 'a'.repeat(64),
    deployment_type: 'native',
    run_id: `run-${role}`,
    run_agent_id: `ra-${role}`,
  });
  const agent = (role: 'baseline' | 'candidate') => ({
    run_agent_id: `ra-${role}`,
    role,
    label: `support-agent ${role}`,
    evidence_tier: 'native_structured',
    tool_policy: { allowed_tool_kinds: ['http'], allow_shell: false, allow_network: true, max_tool_calls: 20 },
    network: { access: 'allowlist', allowlist: ['api.example.com'] },
    secrets: { handling: 'canaries', planted_canaries: 2, leaks_detected: 0 },
    ai_bom: { models: ['openai/gpt-4.1'], rag_sources: [], external_apis: [], frameworks: [] },
    permissions: { declared: ['http'], observed: null },
    routing: null,
    scorecard: null,
    replay: `data/replays/ra-${role}.jsonl`,
  });
  return {
    schema: 'https://exhibit.dev/evidence-bundle/v1/packet',
    bundle_id: bundleId,
    title: 'Fixture release decision',
    created_at: '2026-11-01T10:00:00Z',
    producer: { name: 'exhibit-tests', version: null, workspace_id: null },
    candidate: participant('candidate'),
    baseline: { ...participant('baseline'), selection: { strategy: 'locked_run', max_age_days: 30, age_days: 3 } },
    workload: {
      challenge_pack: {
        slug: 'support',
        name: 'Support pack',
        version_number: 3,
        version_id: 'pv-3',
        manifest_sha256: 'b'.repeat(64),
        file: null,
      },
      input_set: { key: 'default', id: 'is-1', name: null, input_sha256: 'c'.repeat(64), case_count: 1 },
    },
    gate: {
      policy: { policy_key: 'default', policy_version: 1 },
      policy_sha256: null,
      verdict: 'pass',
      reason_code: 'all_dimensions_pass',
      summary: null,
      triggered_conditions: [],
      dimension_results: {
        correctness: {
          state: 'available',
          better_direction: 'higher',
          baseline_value: 0.8,
          candidate_value: 0.82,
          observed_delta: 0.02,
          worsening_delta: -0.02,
          warn_threshold: 0.02,
          fail_threshold: 0.05,
          outcome: 'pass',
        },
      },
      auto_fail_conditions: [],
    },
    decision: { recommendation: 'ship', deciding_metric: 'correctness', conditions: [], rationale: null },
    owners: { release_owner: { name: 'Ana', email: null }, rollback_owner: { name: 'Bo', email: null }, approvers: [] },
    retention: { policy: null, replay_retention_days: 90, retain_until: null },
    agents: [agent('candidate'), agent('baseline')],
    cases: [],
    pricing: null,
    attachments: [],
  };
}

function replay(runAgentId: string): string {
  const ev = (seq: number, type: string, payload: unknown) =>
    JSON.stringify({
      event_id: `e${seq}`,
      schema_version: '2026-03-15',
      run_id: 'run',
      run_agent_id: runAgentId,
      sequence_number: seq,
      event_type: type,
      source: 'native_engine',
      occurred_at: `2026-11-01T10:00:0${seq}Z`,
      payload,
      summary: {},
    });
  return `${[ev(1, 'system.run.started', {}), ev(2, 'model.call.started', { case_key: 'c1' }), ev(3, 'model.call.completed', { case_key: 'c1', provider_key: 'openai', provider_model_id: 'gpt-4.1', usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 } }), ev(4, 'system.run.completed', {})].join('\n')}\n`;
}

export function fixturePayload(bundleId = FIXTURE_ID, packet = minimalPacket(bundleId)): BagFiles {
  return new Map([
    ['data/packet.json', enc.encode(`${JSON.stringify(packet, null, 2)}\n`)],
    ['data/replays/ra-candidate.jsonl', enc.encode(replay('ra-candidate'))],
    ['data/replays/ra-baseline.jsonl', enc.encode(replay('ra-baseline'))],
  ]);
}

export interface Signer {
  key: SigningKey;
  options: SignBagOptions;
}

let cachedKeys: SigningKey[] | null = null;
/** Two Ed25519 keys, made once per test file. */
export async function testKeys(): Promise<[SigningKey, SigningKey]> {
  if (!cachedKeys) {
    const a = await generateEd25519KeyPair();
    const b = await generateEd25519KeyPair();
    cachedKeys = [await importSigningKey(a.privatePem), await importSigningKey(b.privatePem)];
  }
  return cachedKeys as [SigningKey, SigningKey];
}

export function signer(key: SigningKey, role = 'producer', extra: Partial<SignBagOptions> = {}): Signer {
  return { key, options: { role, signer: { name: `Signer ${role}`, email: null }, signedAt: '2026-11-01T12:00:00Z', ...extra } };
}

/** Bag files (bag-relative) of a fixture, signed by `signers`, before zipping. */
export async function fixtureBag(options: { bundleId?: string; payload?: BagFiles; signers?: Signer[] } = {}): Promise<BagFiles> {
  const bundleId = options.bundleId ?? FIXTURE_ID;
  const bag = await makeBag(options.payload ?? fixturePayload(bundleId), {
    bundleId,
    baggingDate: '2026-11-01',
    softwareAgent: 'Exhibit tests',
  });
  for (const s of options.signers ?? []) {
    const files = await makeSignatureFiles(bundleId, bag.get('tagmanifest-sha256.txt')!, s.key, s.options);
    for (const [p, b] of files) bag.set(p, b);
  }
  return bag;
}

export async function zipFixture(bag: BagFiles, bundleId = FIXTURE_ID): Promise<Uint8Array> {
  return zipBag(bundleId, bag);
}

export function trustFor(
  keys: Array<{ key: SigningKey; principal?: string; roles?: string[]; validFrom?: string | null; validUntil?: string | null }>,
): TrustStore {
  let store = emptyTrustStore();
  for (const k of keys)
    store = addTrustedKey(store, k.key.publicKey, {
      principal: k.principal ?? 'Test signer',
      roles: k.roles ?? [],
      validFrom: k.validFrom ?? null,
      validUntil: k.validUntil ?? null,
    });
  return store;
}

export async function verifyBytes(bytes: Uint8Array, trust: TrustStore = emptyTrustStore(), extra: Partial<VerifyOptions> = {}) {
  return verifyBundle(bytesSource(bytes, 'test.evb'), {
    platform: nodePlatform,
    trust,
    checkPacket: parsePacket,
    at: new Date('2026-11-15T00:00:00Z'),
    ...extra,
  });
}
