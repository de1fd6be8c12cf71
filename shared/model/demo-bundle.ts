// The built-in demo bundle (`exhibit demo`, "Open the demo bundle" in the app): the demo
// payload, bagged, signed by a demo producer and a demo approver, zipped; and the trust file
// that trusts both keys. Deterministic: the same bytes every time, in Node and the browser.

import { makeBag, makeSignatureFiles, zipBag } from '../evb/writer';
import { importSigningKey } from '../evb/keys';
import { addTrustedKey, emptyTrustStore, serializeTrustStore } from '../evb/trust';
import { DEMO_BUNDLE_ID, buildDemoPayload } from './demo';

// DEMO KEYS ONLY. They are public on purpose so anyone can rebuild and check the demo
// bundle; never trust them for real evidence.
const DEMO_PRODUCER_KEY = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIGx6OuqmPmMKZi1AHqFbNn5NeFm4Y2ElOIQkpg1SZvOh
-----END PRIVATE KEY-----
`;
const DEMO_APPROVER_KEY = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIAX8gguRQPW4JEYefypV0r7RCxoVakXljp6PRMVmcF/2
-----END PRIVATE KEY-----
`;

export interface DemoBundle {
  bundleId: string;
  /** The .evb bytes. */
  bundle: Uint8Array;
  /** The trust file (spec section 6 JSON) that trusts the demo producer and approver keys. */
  trust: string;
}

export async function buildDemoBundle(): Promise<DemoBundle> {
  const bag = await makeBag(buildDemoPayload(), {
    bundleId: DEMO_BUNDLE_ID,
    baggingDate: '2026-11-02',
    softwareAgent: 'Exhibit demo',
    info: { 'Source-Organization': 'Northwind Support (demo)', 'Contact-Name': 'Dana Okafor' },
  });
  const producer = await importSigningKey(DEMO_PRODUCER_KEY);
  const approver = await importSigningKey(DEMO_APPROVER_KEY);
  const tagmanifest = bag.get('tagmanifest-sha256.txt')!;
  const signatures = [
    await makeSignatureFiles(DEMO_BUNDLE_ID, tagmanifest, producer, {
      role: 'producer',
      signer: { name: 'AgentClash CI (demo)', email: null },
      signedAt: '2026-11-02T14:05:11Z',
      comment: 'Release-gate run for the support agent, candidate v2.4.0.',
      travelKey: true,
      name: 'producer',
    }),
    await makeSignatureFiles(DEMO_BUNDLE_ID, tagmanifest, approver, {
      role: 'approver',
      signer: { name: 'Dana Okafor', email: 'dana.okafor@example.com' },
      signedAt: '2026-11-03T09:12:40Z',
      comment: 'Conditional ship approved pending the egress-policy fix.',
      travelKey: true,
      name: 'approver',
    }),
  ];
  for (const files of signatures) for (const [path, bytes] of files) bag.set(path, bytes);
  let trust = emptyTrustStore();
  trust = addTrustedKey(trust, producer.publicKey, {
    principal: 'AgentClash CI (demo key)',
    roles: ['producer'],
    validFrom: '2026-01-01T00:00:00Z',
    validUntil: '2036-01-01T00:00:00Z',
  });
  trust = addTrustedKey(trust, approver.publicKey, {
    principal: 'Dana Okafor (demo key)',
    roles: ['approver'],
    validFrom: '2026-01-01T00:00:00Z',
    validUntil: '2036-01-01T00:00:00Z',
  });
  return { bundleId: DEMO_BUNDLE_ID, bundle: await zipBag(DEMO_BUNDLE_ID, bag), trust: serializeTrustStore(trust) };
}
