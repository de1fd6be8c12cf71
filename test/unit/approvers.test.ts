// The packet's named approvers against the actual signers (issue 18 point 2): the demo bundle
// as built by shared/model/demo-bundle.ts, verified with and without its trust file.
import { describe, expect, it } from 'vitest';
import { compareApproversWithSigners, type SignatureIdentity } from '../../shared/model/approvers';
import { buildDemoBundle } from '../../shared/model/demo-bundle';
import { buildDemoPayload } from '../../shared/model/demo';
import type { Packet } from '../../shared/model/packet-types';
import { parseTrustStore } from '../../shared/evb/trust';
import { verifyBytes } from '../helpers/bundles';

const demoPacket = (): Packet => JSON.parse(new TextDecoder().decode(buildDemoPayload().get('data/packet.json')!));

async function demoSignatures(trusted: boolean): Promise<SignatureIdentity[]> {
  const demo = await buildDemoBundle();
  const trust = trusted ? await parseTrustStore(demo.trust, 'demo-trust.json') : undefined;
  const v = await verifyBytes(demo.bundle, trust);
  return v.report.signatures;
}

const approverSig = (sigs: SignatureIdentity[]) => sigs.find((s) => s.role === 'approver')!;

describe('compareApproversWithSigners', () => {
  it('on the demo: Dana Okafor signed with a trusted key, Priya Raman is named but did not sign', async () => {
    const check = compareApproversWithSigners(demoPacket().owners, await demoSignatures(true));
    expect(check.approvers.map((a) => [a.approver.name, a.state])).toEqual([
      ['Dana Okafor', 'signed'],
      ['Priya Raman', 'not-signed'],
    ]);
    expect(check.approvers[0]!.files).toEqual(['signatures/approver.dsse.json']);
    expect(check.unnamedSigners).toEqual([]);
    expect(check.problems).toEqual(['Priya Raman (Security reviewer) is named as an approver but did not sign.']);
    expect(check.flagged).toBe(true);
  });

  it("without the trust file, the matching signature is only the signer's claim", async () => {
    const check = compareApproversWithSigners(demoPacket().owners, await demoSignatures(false));
    expect(check.approvers[0]!.state).toBe('signed-untrusted');
    expect(check.problems[0]).toMatch(/Dana Okafor .* does not trust; the name is the signer's claim/);
  });

  it("says why a trusted-store key did not count (revoked, expired), without calling the store's principal a claim", async () => {
    const demo = await buildDemoBundle();
    const changed = async (edit: (k: Record<string, unknown>) => void) => {
      const file = JSON.parse(demo.trust) as { keys: Array<Record<string, unknown>> };
      edit(file.keys.find((k) => k.principal === 'Dana Okafor (demo key)')!);
      const v = await verifyBytes(demo.bundle, await parseTrustStore(JSON.stringify(file), 'edited-trust.json'));
      return compareApproversWithSigners(demoPacket().owners, v.report.signatures);
    };
    const revoked = await changed((k) => {
      k.revoked_at = '2026-11-01T00:00:00Z';
      k.revocation_reason = 'laptop stolen';
    });
    expect(revoked.approvers[0]!.state).toBe('signed-untrusted');
    expect(revoked.problems[0]).toBe('Dana Okafor (Release approver) signed with a key your trust store has revoked.');
    const expired = await changed((k) => {
      k.valid_until = '2026-10-01T00:00:00Z';
    });
    expect(expired.problems[0]).toBe('Dana Okafor (Release approver) signed with a key outside its validity dates in your trust store.');
  });

  it('flags a non-producer signer the packet does not name, and ignores signatures whose mathematics failed', async () => {
    const sigs = await demoSignatures(true);
    const stranger: SignatureIdentity = {
      ...approverSig(sigs),
      file: 'signatures/x.dsse.json',
      principal: 'Mallory (key)',
      signer: { name: 'Mallory', email: null },
    };
    const forged: SignatureIdentity = {
      ...approverSig(sigs),
      file: 'signatures/f.dsse.json',
      math: 'invalid',
      signer: { name: 'Priya Raman', email: null },
      principal: null,
    };
    const check = compareApproversWithSigners(demoPacket().owners, [...sigs, stranger, forged]);
    expect(check.approvers[1]!.state).toBe('not-signed');
    expect(check.unnamedSigners).toEqual([{ file: 'signatures/x.dsse.json', role: 'approver', name: 'Mallory (key)', claimed: false }]);
    expect(check.problems).toContain('Mallory (key) signed as approver but is not named in the packet.');
  });

  it('matches by e-mail before name, and a release owner who signs is named', async () => {
    const sigs = await demoSignatures(true);
    const owners = demoPacket().owners;
    owners.approvers = [{ name: 'D. Okafor', email: 'DANA.OKAFOR@example.com', role: 'Release approver' }];
    expect(compareApproversWithSigners(owners, sigs).approvers[0]!.state).toBe('signed');
    owners.approvers = [];
    owners.release_owner = { name: 'Dana Okafor', email: null };
    expect(compareApproversWithSigners(owners, sigs)).toMatchObject({ unnamedSigners: [], flagged: false });
    owners.release_owner = null;
    owners.rollback_owner = null;
    expect(compareApproversWithSigners(owners, sigs).unnamedSigners.map((u) => u.name)).toEqual(['Dana Okafor (demo key)']);
  });
});

describe('the approvers check in the checklist and the Compliance slice', () => {
  it('adds a ninth checklist item only with a report, missing while a named approver has not signed', async () => {
    const { buildChecklist } = await import('../../shared/model/checklist');
    const { buildComplianceSlice } = await import('../../shared/model/slices');
    const demo = await buildDemoBundle();
    const v = await verifyBytes(demo.bundle, await parseTrustStore(demo.trust, 'demo-trust.json'));
    expect(buildChecklist(demoPacket()).map((i) => i.key)).not.toContain('approvers-signed');
    const item = buildChecklist(demoPacket(), v.report).at(-1)!;
    expect(item).toMatchObject({ key: 'approvers-signed', state: 'missing', fields: ['/owners/approvers'] });
    expect(item.detail).toBe('Priya Raman (Security reviewer) is named as an approver but did not sign.');
    const onlyDana = demoPacket();
    onlyDana.owners.approvers = onlyDana.owners.approvers.slice(0, 1);
    expect(buildChecklist(onlyDana, v.report).at(-1)).toMatchObject({
      state: 'met',
      detail: 'Every named approver signed with a trusted key: Dana Okafor.',
    });
    expect(buildComplianceSlice(demoPacket(), v.report).approvers?.flagged).toBe(true);
    expect(buildComplianceSlice(demoPacket(), null).approvers).toBeNull();
  });
});
