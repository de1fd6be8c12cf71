#!/usr/bin/env node
// The `exhibit` command. Runs the TypeScript CLI through tsx, so `npx exhibit` works right
// after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { exitWhenFlushed, main, warmUp } = await import('../cli/main.ts');
const argv = process.argv.slice(2);
warmUp(argv);
await exitWhenFlushed(await main(argv));
