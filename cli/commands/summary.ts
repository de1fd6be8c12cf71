// exhibit summary: the PDF gate summary (issue 5). Not available yet.
import type { CliIo } from '../io';

export async function run(_args: string[], io: CliIo): Promise<number> {
  io.stderr.write('exhibit summary: the PDF gate summary is not available in this version yet.\n');
  return 64;
}
