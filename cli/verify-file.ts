// Verifying a bundle file from the CLI: trust loading, the progress bar, the node ports.
// `verify` and `summary` both use it.
import type { CliIo } from './io';
import { CliError, NO_INPUT_EXIT_CODE } from './args';
import { openSource, readText } from './files';
import { nodePlatform } from '../shared/platform/node';
import type { Progress } from '../shared/platform/ports';
import type { TrustStore } from '../shared/evb/crypto-types';
import { addTrustedKey, emptyTrustStore, parseTrustStore } from '../shared/evb/trust';
import { parsePublicKey } from '../shared/evb/keys';
import { MAX_TRUST_FILE_BYTES } from '../shared/evb/limits';
import type { VerifiedBundle } from '../shared/evb/verify';
import { verifyBundle } from '../shared/evb/verify';
import { errorMessage } from '../shared/platform/errors';
import { parsePacket } from '../shared/model/packet';

export async function loadTrust(
  io: CliIo,
  trustFile: string | undefined,
  keyFiles: string[],
): Promise<{ trust: TrustStore; trustStoreName: string }> {
  let trust = emptyTrustStore();
  const names: string[] = [];
  if (trustFile !== undefined) {
    const text = await readText(io, trustFile, 'trust file', MAX_TRUST_FILE_BYTES);
    try {
      trust = await parseTrustStore(text, trustFile);
    } catch (e) {
      throw new CliError(errorMessage(e), NO_INPUT_EXIT_CODE);
    }
    names.push(`${trustFile} (${trust.keys.length} ${trust.keys.length === 1 ? 'key' : 'keys'})`);
  }
  for (const file of keyFiles) {
    const text = await readText(io, file, 'public key');
    let key;
    try {
      key = await parsePublicKey(text);
    } catch (e) {
      throw new CliError(`${file}: ${errorMessage(e)}`, NO_INPUT_EXIT_CODE);
    }
    // A key the trust file holds keeps its entry (its revocation, roles and window).
    if (!trust.keys.some((k) => k.keyid === key.keyid)) trust = addTrustedKey(trust, key, { principal: file });
    names.push(`--key ${file}`);
  }
  return { trust, trustStoreName: names.length ? names.join(', ') : 'no trust store (no key is trusted)' };
}

function progressBar(io: CliIo): { update(p: Progress): void; clear(): void } {
  if (!io.stderr.isTTY) return { update() {}, clear() {} };
  let last = 0;
  const width = Math.max(10, Math.min(40, (io.stderr.columns ?? 80) - 40));
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 80 && p.done < p.total) return;
      last = now;
      const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
      const filled = Math.round(ratio * width);
      const mb = (n: number) => (n / 1048576).toFixed(1);
      io.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%  ${mb(p.done)}/${mb(p.total)} MiB `,
      );
    },
    clear() {
      io.stderr.write(`\r${' '.repeat(width + 40)}\r`);
    },
  };
}

export interface VerifyFileOptions {
  trust: TrustStore;
  trustStoreName: string;
  at: Date;
  /** Show a progress bar on a terminal. */
  progress: boolean;
}

/** Verifies a bundle file and keeps it open for reading entries afterwards; call close(). */
export async function openVerified(
  io: CliIo,
  path: string,
  options: VerifyFileOptions,
): Promise<VerifiedBundle & { close(): Promise<void> }> {
  const source = await openSource(io, path);
  const bar = options.progress ? progressBar(io) : { update() {}, clear() {} };
  try {
    const result = await verifyBundle(source, {
      platform: nodePlatform,
      trust: options.trust,
      trustStoreName: options.trustStoreName,
      checkPacket: parsePacket,
      at: options.at,
      onProgress: (p) => bar.update(p),
    });
    return { ...result, close: async () => source.close?.() };
  } catch (e) {
    await source.close?.();
    throw e;
  } finally {
    bar.clear();
  }
}

/** Verifies a bundle file and closes it. */
export async function verifyFile(io: CliIo, path: string, options: VerifyFileOptions): Promise<VerifiedBundle> {
  const opened = await openVerified(io, path, options);
  await opened.close();
  return opened;
}
