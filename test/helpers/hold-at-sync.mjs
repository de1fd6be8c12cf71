// Preloaded into the real `exhibit` (node --import) by the signal tests: holds the command
// at the moment its output is written into the temporary file but not yet flushed and
// renamed. FileHandle#sync never settles, a timer keeps the process alive, and the file
// named by EXHIBIT_TEST_HELD says the moment has come, so the test can send its signal
// then: deterministic, with no sleep and no timing.
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';

const probe = await open(new URL(import.meta.url), 'r');
const proto = Object.getPrototypeOf(probe);
await probe.close();
proto.sync = function holdForever() {
  setInterval(() => undefined, 60_000);
  writeFileSync(process.env.EXHIBIT_TEST_HELD, String(process.pid));
  return new Promise(() => undefined);
};
