// Runs Electronegativity over electron/ through its programmatic API (its CLI breaks on the
// newer `commander` hoisted by other tools) and fails on any finding or parse error.
// A finding that stays must be explained at the line it flags with an
// `/* eng-disable CHECK_NAME */` comment saying why.
'use strict';
const path = require('node:path');
// Its messages: the English ones it ships, set up as it does, without the download of
// "updated translations" it tries first (a network request, and offline the line "Could not
// retrieve updated translations for the current locale", which is not a failure). Replaced
// in the module cache before the runner loads it.
const localesFile = require.resolve('@doyensec/electronegativity/dist/locales/i18n.js');
require(localesFile);
require.cache[localesFile].exports = async function localI18n() {
  const i18n = require(require.resolve('i18n', { paths: [path.dirname(localesFile)] }));
  i18n.configure({
    locales: ['en-US', 'es-ES', 'fr-FR'],
    defaultLocale: 'en-US',
    directory: path.dirname(localesFile),
    updateFiles: false,
    objectNotation: true,
    retryInDefaultLocale: true,
    register: global,
  });
  i18n.setLocale('en-US');
};
const run = require('@doyensec/electronegativity/dist/runner.js');

// AvailableSecurityFixesGlobalCheck downloads Electron's release list; this runs offline
// (and the app must never need a network), so it is left out. Electron's version is pinned
// in package-lock.json and raised by hand.
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];

async function main() {
  const root = path.resolve(__dirname, '..', '..');
  const input = path.join(root, process.argv[2] || 'electron');
  const electronVersion = require(path.join(root, 'node_modules/electron/package.json')).version;
  const result = await run(
    { input, isRelative: true, electronVersionOverride: electronVersion, customScan: [], excludeFromScan: EXCLUDED },
    false,
  );
  const errors = result.errors.filter((e) => !e.tolerable);
  for (const e of result.errors)
    console.log(`${e.tolerable ? 'warning' : 'error'}: cannot parse ${path.relative(root, e.file)}: ${e.message}`);
  for (const i of result.issues) {
    console.log(
      `${i.id} ${i.severity.name}/${i.confidence.name} ${path.join(path.relative(root, input), i.file)}:${i.location.line}:${i.location.column}\n  ${i.description}`,
    );
  }
  console.log(
    `electronegativity ${require('@doyensec/electronegativity/package.json').version}: ${result.globalChecks + result.atomicChecks} checks, ${result.issues.length} findings, ${errors.length} parse errors in ${path.relative(root, input)}/ (Electron ${electronVersion})`,
  );
  process.exitCode = result.issues.length > 0 || errors.length > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
