// Where the public test corpora are: ../shared/corpora beside the checkout (the Library of
// Congress BagIt suite, libzip's and yauzl's zip test files, zip-slip archives, Wycheproof,
// ed25519-speccheck, the DSSE protocol; see ../shared/corpora/README.md). A clone without
// that folder skips the tests that need it, and says so, naming the folder.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CORPORA = resolve(join(__dirname, '../../../shared/corpora'));
export const corporaPresent = existsSync(CORPORA);
/** Appended to the name of a describe block that needs the corpora. */
export const NEEDS_CORPORA = '(needs ../shared/corpora)';

/** Says once per test file, on stderr, which tests are skipped and why. */
export function warnIfNoCorpora(what: string): void {
  if (corporaPresent) return;
  process.stderr.write(
    `skipping ${what}: the public test corpora are not at ${CORPORA} (../shared/corpora beside this checkout); see "Test corpora" in README.md.\n`,
  );
}
