// Every size limit Exhibit applies to a bundle's content, in one place. Bundle bytes are an
// attacker's: each read of a whole entry into memory is bounded by one of these.

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** The container (spec section 1). */
export const ZIP_LIMITS = {
  /** Most entries in the central directory. */
  maxEntries: 200_000,
  /** Most declared uncompressed bytes over all entries. */
  maxTotalUncompressed: 16 * GiB,
  /** Most declared uncompressed bytes of one entry. */
  maxEntryUncompressed: 4 * GiB,
} as const;

/** Most bytes of `data/packet.json` read and parsed. */
export const MAX_PACKET_BYTES = 64 * MiB;
/** Most bytes of a tag file (bagit.txt, bag-info.txt, a manifest) read whole. */
export const MAX_TAG_FILE_BYTES = 64 * MiB;
/** Most bytes of one signature file (`signatures/*.dsse.json`, `*.sigstore.json`, `*.pub.pem`). */
export const MAX_SIGNATURE_FILE_BYTES = 1 * MiB;
/** What `readEntry` reads when the caller names no limit. */
export const DEFAULT_READ_BYTES = 64 * MiB;
/** Most bytes of a trust store file. */
export const MAX_TRUST_FILE_BYTES = 16 * MiB;

/** Most bytes of one replay entry (a JSON Lines file or chunk) streamed into the index. */
export const MAX_REPLAY_ENTRY_BYTES = 1 * GiB;
/** Most bytes of one replay line. */
export const MAX_REPLAY_LINE_BYTES = 64 * MiB;
/** Most bytes of one offloaded payload (`$ref`) read when a step is opened. */
export const MAX_PAYLOAD_BYTES = 64 * MiB;
/** Most replay bytes read per agent for the stakeholder slices. */
export const MAX_OBSERVED_REPLAY_BYTES = 256 * MiB;
