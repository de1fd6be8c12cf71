// Spec 5.1 step 1: the leaf chains to a certificate authority of the trusted root that
// was valid at the signing time. Only the leaf comes from the bundle: the path is built
// from the authority's own certificates, so a bundle never supplies a trusted root.

import { broken, unknownAuthority } from './errors';
import type { CertAuthority } from './trusted-root';
import { inWindow } from './trusted-root';
import type { Certificate } from './x509';
import { isIssuedBy, isSelfIssued, validAt } from './x509';
import { equalBytes } from './crypto';

export interface ChainResult {
  authority: CertAuthority;
  /** leaf, issuer, …, root. */
  path: Certificate[];
}

/** Builds leaf -> … -> a self-signed root of `authority`; null when the names do not chain. */
async function pathIn(leaf: Certificate, authority: CertAuthority): Promise<Certificate[] | null> {
  const path = [leaf];
  for (let cur = leaf; path.length <= authority.chain.length + 1;) {
    if (path.length > 1 && isSelfIssued(cur)) return (await isIssuedBy(cur, cur)) ? path : null;
    const issuer = authority.chain.find((c) => equalBytes(c.subject, cur.issuer));
    if (!issuer || !(await isIssuedBy(cur, issuer))) return null;
    path.push(issuer);
    cur = issuer;
  }
  return null;
}

/** Checks the leaf's chain at every signing time; throws KeylessError (certificate-chain). */
export async function checkChain(leaf: Certificate, authorities: CertAuthority[], times: number[]): Promise<ChainResult> {
  const named = authorities.filter((a) => a.chain.some((c) => equalBytes(c.subject, leaf.issuer)));
  if (named.length === 0)
    throw unknownAuthority('certificate-chain', 'the certificate was issued by a certificate authority the trusted root does not know');
  let reason = 'the certificate does not chain to its authority (a signature or a name does not hold)';
  for (const authority of named) {
    const path = await pathIn(leaf, authority);
    if (!path) continue;
    if (!times.every((t) => inWindow(authority.window, t))) {
      reason = `the certificate authority ${authority.uri} was not valid at the signing time`;
      continue;
    }
    const expired = path.find((c) => !times.every((t) => validAt(c, new Date(t))));
    if (expired) {
      reason =
        expired === leaf
          ? 'the certificate was not valid at the signing time'
          : 'a certificate of the chain was not valid at the signing time';
      continue;
    }
    if (path.slice(1).some((c, i) => !c.isCA || (c.pathLen !== null && c.pathLen < i))) {
      reason = 'an issuing certificate of the chain is not a CA, or its path length is exceeded';
      continue;
    }
    return { authority, path };
  }
  throw broken('certificate-chain', reason);
}
