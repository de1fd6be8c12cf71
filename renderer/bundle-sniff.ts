// A file dropped or chosen that is plainly not an evidence bundle (a PNG, a PDF…) is refused
// before it is opened, so it is neither verified nor remembered as a malformed bundle. An
// .evb is a zip: its first bytes are a zip record signature ("PK" 03 04, or 05 06 when empty).
// Anything that starts otherwise is not a bundle; a zip that is a broken bundle is still
// opened, and shows as malformed.

const KNOWN: Array<[number[], string]> = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x1f, 0x8b], 'a gzip file'],
  [[0x7b], 'a JSON or text file'],
];

const startsWith = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b);

/** Why a file whose first bytes are `head` is not a bundle, or null when it may be one (a zip). */
export function notABundle(head: Uint8Array, name: string): string | null {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return null;
  const what = head.length === 0 ? 'an empty file' : (KNOWN.find(([sig]) => startsWith(head, sig))?.[1] ?? 'not a zip file');
  return `${name} is not an evidence bundle (${what}; a bundle is a .evb zip file). Nothing was opened or recorded.`;
}

/** The first bytes of a file, for notABundle. */
export async function fileHead(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, 8).arrayBuffer());
}
