// The PDF builds each view model it shares between sections once per document (issue 14):
// the Engineering slice serves both its own section and the driving cases, and the
// overview serves every density pass of page 1.
import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoBundle } from '../../shared/model/demo-bundle';
import { verifyBundle } from '../../shared/evb/verify';
import { parsePacket } from '../../shared/model/packet';
import { parseTrustStore } from '../../shared/evb/trust';
import { bytesSource } from '../../shared/platform/ports';
import { nodePlatform } from '../../shared/platform/node';
import type { Packet } from '../../shared/model/packet-types';
import * as slices from '../../shared/model/slices';
import { buildGateSummary } from '../../shared/report/gate-summary';

vi.mock('../../shared/model/slices', async (original) => {
  const actual = await original<typeof import('../../shared/model/slices')>();
  return { ...actual, buildEngineeringSlice: vi.fn(actual.buildEngineeringSlice), buildOverview: vi.fn(actual.buildOverview) };
});

const FONTS = join(__dirname, '../../assets/fonts');
const font = (f: string) => new Uint8Array(readFileSync(join(FONTS, f)));
const AT = new Date('2026-11-20T10:00:00Z');

describe('view models shared between sections', () => {
  it('are built once per PDF, however many density passes page 1 takes', async () => {
    const demo = await buildDemoBundle();
    const v = await verifyBundle(bytesSource(demo.bundle, 'demo.evb'), {
      platform: nodePlatform,
      trust: await parseTrustStore(demo.trust, 'demo.trust.json'),
      checkPacket: parsePacket,
      at: AT,
    });
    const packetJson = await v.readEntry('data/packet.json');
    const packet = JSON.parse(new TextDecoder().decode(packetJson)) as Packet;
    // Conditions enough that page 1 overflows at full size and is set again denser.
    packet.decision.conditions = Array.from({ length: 14 }, (_, i) => `Condition ${i + 1}: ${'a rollback drill is rehearsed '.repeat(3)}`);
    vi.mocked(slices.buildEngineeringSlice).mockClear();
    vi.mocked(slices.buildOverview).mockClear();
    const r = await buildGateSummary({
      packet,
      report: v.report,
      fonts: { regular: font('DejaVuSans.ttf'), bold: font('DejaVuSans-Bold.ttf'), mono: font('DejaVuSansMono.ttf') },
      attachments: { packetJson },
      generatedAt: AT,
      exhibitVersion: 'test',
    });
    expect(r.pageCount).toBeGreaterThan(1);
    expect(vi.mocked(slices.buildEngineeringSlice)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(slices.buildOverview)).toHaveBeenCalledTimes(1);
  });
});
