// The replay worker as a Node worker thread (the CLI and the benchmark): the same handler
// as the renderer's Web Worker, over worker_threads' port.
import { parentPort } from 'node:worker_threads';
import { createReplayWorkerHandler } from '../shared/model/replay-worker';
import type { ReplayWorkerRequest } from '../shared/model/replay-worker';

if (!parentPort) throw new Error('replay-worker runs as a worker thread.');
const port = parentPort;
const handle = createReplayWorkerHandler((msg, transfer) => port.postMessage(msg, transfer));
port.on('message', (msg: ReplayWorkerRequest) => handle(msg));
