// Opening a verified bundle's model: the packet as signed with its observations, or the
// reason it is not shown (malformed bundle, packet edited after bagging, invalid packet).
import { describe, expect, it } from 'vitest';
import { openBundleModel } from '../../shared/model/open-bundle';
import { FIXTURE_ID, fixtureBag, fixturePayload, minimalPacket, signer, testKeys, verifyBytes, zipFixture } from '../helpers/bundles';

const enc = new TextEncoder();

async function openBag(bag: Map<string, Uint8Array>) {
  const v = await verifyBytes(await zipFixture(bag));
  return { report: v.report, model: await openBundleModel(v.report, (path, maxBytes) => v.readEntry(path, maxBytes)) };
}

describe('openBundleModel', () => {
  it('gives the packet, its bytes as signed and the observations of every agent', async () => {
    const [key] = await testKeys();
    const bag = await fixtureBag({ signers: [signer(key)] });
    const { model } = await openBag(bag);
    if (!model.ok) throw new Error(model.message);
    expect(model.packet.bundle_id).toBe(FIXTURE_ID);
    expect(model.packetBytes).toEqual(bag.get('data/packet.json'));
    const obs = await model.observations();
    expect(Object.keys(obs!.byAgent).sort()).toEqual(['ra-baseline', 'ra-candidate']);
    expect(await model.observations()).toBe(obs);
  });

  it('does not show a packet edited after bagging, and says why', async () => {
    const bag = await fixtureBag();
    const edited = new TextDecoder().decode(bag.get('data/packet.json')!).replace('"title": "', '"title": "Approved: ');
    bag.set('data/packet.json', enc.encode(edited));
    const { report, model } = await openBag(bag);
    expect(report.status).toBe('tampered');
    expect(model).toMatchObject({ ok: false, reason: 'packet-not-intact' });
    expect(!model.ok && model.message).toContain('data/packet.json does not match its manifest (mismatch)');
  });

  it('reads nothing of a malformed bundle: no bagit.txt, or a packet without its decision', async () => {
    const noBagit = await fixtureBag();
    noBagit.delete('bagit.txt');
    const packet = minimalPacket();
    delete packet.decision;
    const noDecision = await fixtureBag({ payload: fixturePayload(FIXTURE_ID, packet) });
    for (const bag of [noBagit, noDecision]) {
      const { report, model } = await openBag(bag);
      expect(report.status).toBe('malformed');
      expect(model).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });
});
