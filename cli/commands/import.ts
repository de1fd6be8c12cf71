// exhibit import agentclash ...: not available yet (issue 7).
import type { CliIo } from '../io';

export async function run(_args: string[], io: CliIo): Promise<number> {
  io.stderr.write('exhibit import: importing AgentClash runs is not available in this version yet.\n');
  return 64;
}
