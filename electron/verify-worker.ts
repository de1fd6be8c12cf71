// Entry of the verification utilityProcess: the worker service over process.parentPort,
// with the Node ports (native zlib and crypto, positional file reads).

import { createWorkerService } from './worker-service';
import { nodePlatform, openFileSource } from '../shared/platform/node';
import { bytesSource } from '../shared/platform/ports';
import { verifyBundle } from '../shared/evb/verify';
import { buildDemoBundle } from '../shared/model/demo-bundle';

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!port) throw new Error('verify-worker runs only as an Electron utility process');

const service = createWorkerService({
  platform: nodePlatform,
  openFile: openFileSource,
  buildDemo: async () => (await buildDemoBundle()).bundle,
  demoSource: (bytes) => bytesSource(bytes, 'demo.evb'),
  verify: verifyBundle,
  post: (reply) => port.postMessage(reply),
  now: () => performance.now(),
});

port.on('message', (e) => {
  void service.handle(e.data);
});
