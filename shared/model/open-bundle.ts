// The one way to open a verified bundle's model, for every face (the app, the PDF export,
// `exhibit summary`, `exhibit replay`): from the verification report and a way to read
// entries, the approval packet (its bytes read once, under MAX_PACKET_BYTES, and parsed and
// validated once by parsePacket) and the replay observations the slices show; or the reason
// there is none to show. A packet is never presented when the bundle is malformed, when
// data/packet.json did not match its manifest digest, or when verification found it invalid.

import type { VerificationReport } from '../evb/report';
import type { Packet } from './packet-types';
import type { ReplayObservations } from './observations';
import type { IndexReplay, ReadEntry } from './observe-replay';
import { observeBundleReplays } from './observe-replay';
import { parsePacket } from './packet';
import { MAX_PACKET_BYTES } from '../evb/limits';

const PACKET_PATH = 'data/packet.json';

export type NoPacketReason = 'malformed' | 'packet-not-intact' | 'packet-invalid' | 'packet-unreadable';

export type OpenedModel =
  | {
      ok: true;
      packet: Packet;
      /** data/packet.json as signed, byte for byte (the PDF attaches it). */
      packetBytes: Uint8Array;
      /** The replay observations, computed on first call and then shared; null when no replay could be read. */
      observations: () => Promise<ReplayObservations | null>;
    }
  | { ok: false; reason: NoPacketReason; message: string };

function noPacket(reason: NoPacketReason, message: string): OpenedModel {
  return { ok: false, reason, message };
}

/** Why the report forbids showing the packet, or null when it may be read. */
function packetRefusal(report: VerificationReport): OpenedModel | null {
  if (report.status === 'malformed')
    return noPacket('malformed', `The bundle is malformed, so its approval packet is not shown: ${report.summary}`);
  const file = report.files.find((f) => f.path === PACKET_PATH);
  if (!file || file.result !== 'ok') {
    const what = !file || file.result === 'missing' ? 'is missing' : `does not match its manifest (${file.result})`;
    return noPacket('packet-not-intact', `${PACKET_PATH} ${what}, so the approval packet is not shown; see the Integrity findings.`);
  }
  const invalid = report.findings.filter((f) => f.layer === 'packet' && f.severity !== 'warning');
  if (invalid.length)
    return noPacket(
      'packet-invalid',
      `${PACKET_PATH} is not a valid approval packet, so it is not shown: ${invalid[0]!.message}${invalid.length > 1 ? ` (and ${invalid.length - 1} more findings)` : ''}`,
    );
  return null;
}

/**
 * Opens the model of a verified bundle. `indexReplay` indexes a run agent's replay for the
 * observations (the app passes its Replay tab's session so both share one index); by
 * default replays are indexed on the calling thread.
 */
export async function openBundleModel(
  report: VerificationReport,
  readEntry: ReadEntry,
  opts: { indexReplay?: IndexReplay } = {},
): Promise<OpenedModel> {
  const refused = packetRefusal(report);
  if (refused) return refused;
  let packetBytes: Uint8Array;
  try {
    packetBytes = await readEntry(PACKET_PATH, MAX_PACKET_BYTES);
  } catch (e) {
    return noPacket('packet-unreadable', `${PACKET_PATH} could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const listedPaths = new Set(report.files.filter((f) => f.manifest === 'manifest-sha256.txt').map((f) => f.path));
  const { packet, findings } = parsePacket(packetBytes, { listedPaths });
  if (!packet) {
    const first = findings.find((f) => f.severity !== 'warning') ?? findings[0];
    return noPacket('packet-invalid', `${PACKET_PATH} is not a valid approval packet${first ? `: ${first.message}` : '.'}`);
  }
  let observed: Promise<ReplayObservations | null> | null = null;
  const observations = () => (observed ??= observeBundleReplays(packet, report, readEntry, opts.indexReplay));
  return { ok: true, packet, packetBytes, observations };
}
