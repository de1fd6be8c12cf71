// The demo payload (shared/model/demo.ts) bagged and zipped by the project's writer in each
// status the status-frame tests need: untrusted (the demo as shipped, opened with an empty
// store), unsigned (no signatures), tampered (signed, then one replay line edited after
// signing, so its digest no longer matches). The demo is long, so every tab scrolls.
import { buildDemoBundle } from '../../../shared/model/demo-bundle';
import { DEMO_BUNDLE_ID, buildDemoPayload } from '../../../shared/model/demo';
import { fixtureBag, signer, testKeys, zipFixture } from '../../helpers/bundles';

const enc = new TextEncoder();

export type DemoVariant = 'untrusted' | 'unsigned' | 'tampered';

export async function demoVariant(kind: DemoVariant): Promise<Uint8Array> {
  if (kind === 'untrusted') return (await buildDemoBundle()).bundle;
  if (kind === 'unsigned') return zipFixture(await fixtureBag({ bundleId: DEMO_BUNDLE_ID, payload: buildDemoPayload() }), DEMO_BUNDLE_ID);
  const [key] = await testKeys();
  const bag = await fixtureBag({
    bundleId: DEMO_BUNDLE_ID,
    payload: buildDemoPayload(),
    signers: [signer(key, 'approver', { signer: { name: 'Dana Okafor', email: 'dana.okafor@example.com' }, travelKey: true })],
  });
  const path = [...bag.keys()].find((p) => /^data\/replays\/[^/]+\.jsonl$/.test(p))!;
  const text = new TextDecoder().decode(bag.get(path)!);
  bag.set(path, enc.encode(text.replace('system.run.started', 'system.run.startex')));
  if (new TextDecoder().decode(bag.get(path)!) === text) throw new Error(`the tampering edit did not apply to ${path}`);
  return zipFixture(bag, DEMO_BUNDLE_ID);
}
