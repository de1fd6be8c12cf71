// The verification service as Electron's utilityProcess runs it (verify-worker.ts wires it
// to process.parentPort): the one service of shared/ipc/verify-service.ts, with the Node
// ports. Main sends the path it chose in its own dialog or got from the OS (the renderer
// never does); the service opens the file itself, so bundle bytes never cross to main.

import type { VerifyServiceDeps } from '../shared/ipc/verify-service';
import { nodePlatform, openFileSource } from '../shared/platform/node';
import { bytesSource } from '../shared/platform/ports';
import { CodedError } from '../shared/platform/errors';
import { verifyBundle } from '../shared/evb/verify';
import { buildDemoBundle } from '../shared/model/demo-bundle';
import { parsePacket } from '../shared/model/packet';

export type {
  SourceSpec,
  VerifyService as WorkerService,
  VerifyServiceReply as WorkerReply,
  VerifyServiceRequest as WorkerRequest,
} from '../shared/ipc/verify-service';
export { throttleProgress } from '../shared/ipc/verify-service';

/** The demo's name inside the utility process, as main shows it (bundle-broker's DEMO_NAME). */
const DEMO_SOURCE_NAME = 'demo.evb';

/** What the service takes from the utility process: Node ports, files by path, the demo. */
export function electronServiceDeps(): VerifyServiceDeps {
  return {
    platform: nodePlatform,
    open: async (source) => {
      if (source.kind !== 'file') throw new CodedError('bad-source', 'The verification process opens files by path only.');
      return openFileSource(source.path);
    },
    buildDemo: buildDemoBundle,
    demoSource: (bytes) => bytesSource(bytes, DEMO_SOURCE_NAME),
    verify: verifyBundle,
    checkPacket: parsePacket,
    now: () => performance.now(),
  };
}
