// npx tsx bench/keyless.ts — time per keyless signature verification (spec 5.1) on real
// bundles from sigstore-conformance (test/fixtures/sigstore-conformance): the whole
// verifyArtifactBundle (parse, log proof, SET or RFC 3161, chain, SCT, signature, identity).
// Node's WebCrypto here; the browser runs the same code on its WebCrypto.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyArtifactBundle } from '../shared/evb/sigstore/artifact';
import { publicGoodTrustedRoot } from '../shared/evb/sigstore/public-good';
import { parseTrustedRoot } from '../shared/evb/sigstore/trusted-root';

const DIR = join(import.meta.dirname, '../test/fixtures/sigstore-conformance/bundle-verify');
const RUNS = Number(process.env.RUNS ?? 300);
const ID =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

for (const c of ['happy-path-v0.3', 'happy-path-intoto-in-dsse-v3', 'rekor2-happy-path']) {
  const bundle = readFileSync(join(DIR, c, 'bundle.sigstore.json'), 'utf8');
  let rootJson: unknown = null;
  try {
    rootJson = JSON.parse(readFileSync(join(DIR, c, 'trusted_root.json'), 'utf8'));
  } catch {
    // the built-in public-good root
  }
  const root = rootJson ? parseTrustedRoot(rootJson, c) : publicGoodTrustedRoot();
  const artifact = { bytes: new Uint8Array(readFileSync(join(DIR, 'a.txt'))) };
  for (let i = 0; i < 20; i++) await verifyArtifactBundle(bundle, root, { artifact, identity: ID, issuer: ISSUER });
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = await verifyArtifactBundle(bundle, root, { artifact, identity: ID, issuer: ISSUER });
    times.push(performance.now() - t);
    if (!r.ok) throw new Error(`${c}: ${r.message}`);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${c.padEnd(30)} median ${times[RUNS >> 1]!.toFixed(2)} ms  p90 ${times[Math.floor(RUNS * 0.9)]!.toFixed(2)} ms  (${RUNS} runs)`,
  );
}
