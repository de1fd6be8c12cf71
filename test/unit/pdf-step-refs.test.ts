// Replay references in the PDF read as the UI reads them (issue 18.4): "candidate · step 69",
// not "ra-cand-7d21 #69". Checked the way a reader would, with poppler's pdftotext, on the
// demo bundle with its replays observed (so Security "Blocked by policy" and the Engineering
// lists carry steps), its verdict-driving cases and a reviewer note.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoBundle } from '../../shared/model/demo-bundle';
import { verifyBundle } from '../../shared/evb/verify';
import { parsePacket } from '../../shared/model/packet';
import { parseTrustStore } from '../../shared/evb/trust';
import { bytesSource } from '../../shared/platform/ports';
import { nodePlatform } from '../../shared/platform/node';
import { observeBundleReplays } from '../../shared/model/observe-replay';
import type { Packet } from '../../shared/model/packet-types';
import type { ReplayObservations } from '../../shared/model/observations';
import { buildGateSummaryPdf } from '../../shared/report/gate-summary';

const FONTS = join(__dirname, '../../assets/fonts');
const fonts = {
  regular: new Uint8Array(readFileSync(join(FONTS, 'DejaVuSans.ttf'))),
  bold: new Uint8Array(readFileSync(join(FONTS, 'DejaVuSans-Bold.ttf'))),
  mono: new Uint8Array(readFileSync(join(FONTS, 'DejaVuSansMono.ttf'))),
};
const AT = new Date('2026-11-20T10:00:00Z');

/** Text with all whitespace removed, so a wrapped cell still matches. */
const squash = (s: string) => s.replace(/\s+/g, '');

let packet: Packet;
let observations: ReplayObservations;
let all: string;

beforeAll(async () => {
  const demo = await buildDemoBundle();
  const v = await verifyBundle(bytesSource(demo.bundle, 'demo.evb'), {
    platform: nodePlatform,
    trust: await parseTrustStore(demo.trust, 'demo.trust.json'),
    checkPacket: parsePacket,
    trustStoreName: 'demo.trust.json (2 keys)',
    at: AT,
  });
  const packetJson = await v.readEntry('data/packet.json');
  packet = JSON.parse(new TextDecoder().decode(packetJson)) as Packet;
  observations = (await observeBundleReplays(packet, v.report, (p, max) => v.readEntry(p, max)))!;
  const bytes = await buildGateSummaryPdf({
    packet,
    report: v.report,
    fonts,
    attachments: { packetJson },
    generatedAt: AT,
    exhibitVersion: '0.1.0-test',
    observations,
    notes: [
      {
        runAgentId: packet.candidate.run_agent_id,
        sequence: 12,
        text: 'Checked the egress call.',
        author: 'Ana Auditor',
        createdAt: '2026-11-19T08:00:00Z',
      },
    ],
  });
  const file = join(mkdtempSync(join(tmpdir(), 'exhibit-pdf-refs-')), 'refs.pdf');
  writeFileSync(file, bytes);
  all = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
});

describe('replay references in the PDF', () => {
  it('name the agent by its role and the step by its number, as the UI does', () => {
    const blocked = observations.byAgent[packet.candidate.run_agent_id]!.policyViolations;
    expect(blocked.length).toBeGreaterThan(0);
    for (const s of blocked) expect(squash(all)).toContain(squash(`candidate · step ${s.sequence}: ${s.headline}`));
    const driving = packet.cases.filter((c) => c.drove_verdict);
    expect(driving.length).toBeGreaterThan(0);
    for (const c of driving)
      for (const r of c.refs) {
        const role = packet.agents.find((a) => a.run_agent_id === r.run_agent_id)!.role;
        expect(squash(all)).toContain(squash(`${role} · step ${r.sequence_number}`));
      }
    expect(squash(all)).toContain(squash('candidate · step 12'));
  });

  it('never write a run agent id with "#" and a step number', () => {
    for (const a of packet.agents) expect(all).not.toMatch(new RegExp(`${a.run_agent_id}\\s*#\\d`));
  });

  it('keep the run agent ids where the agents are introduced, so a role can be traced to its id', () => {
    for (const a of packet.agents) expect(all).toContain(a.run_agent_id);
  });
});
