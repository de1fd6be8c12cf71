// The `exhibit` command line. Placeholder until the commands land.
export async function main(argv: string[]): Promise<number> {
  process.stdout.write(`exhibit: ${argv.join(' ')}\n`);
  return 0;
}
