// The replay worker of the web build and the Electron renderer: indexes and searches
// replay entries off the page's thread (shared/model/replay-worker does the work).
/// <reference lib="webworker" />
import { createReplayWorkerHandler } from '../../shared/model/replay-worker';
import type { ReplayWorkerRequest } from '../../shared/model/replay-worker';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = createReplayWorkerHandler((msg, transfer) => scope.postMessage(msg, transfer));
scope.onmessage = (event: MessageEvent<ReplayWorkerRequest>) => handle(event.data);
