#!/usr/bin/env node
// The `exhibit` command. Runs the TypeScript CLI through tsx, so `npx exhibit` works right
// after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
const { exitWhenFlushed } = await import('../cli/io.ts');
await exitWhenFlushed(await main(process.argv.slice(2)));
