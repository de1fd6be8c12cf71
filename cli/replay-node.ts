// A ReplayWorkerPort over a Node worker thread. From a checkout the worker is the .ts file
// run through tsx; from a bundled CLI it is replay-worker.mjs beside the bundle.
import { Worker } from 'node:worker_threads';
import type { ReplayWorkerPort } from '../shared/model/replay-worker';

export function nodeReplayPort(): ReplayWorkerPort {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './replay-worker.ts' : './replay-worker.mjs', import.meta.url);
  // From source, the thread registers tsx before importing the TypeScript entry.
  const worker = fromSource
    ? new Worker(
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`,
        { eval: true },
      )
    : new Worker(url);
  let failed = false;
  return {
    post: (msg, transfer) => worker.postMessage(msg, transfer),
    listen: (onMessage, onFailure) => {
      worker.on('message', onMessage);
      worker.on('error', (e) => {
        failed = true;
        onFailure(e.message);
      });
      worker.on('exit', (code) => {
        if (!failed && code !== 0) onFailure(`it exited with code ${code}`);
      });
    },
    terminate: () => void worker.terminate(),
  };
}
