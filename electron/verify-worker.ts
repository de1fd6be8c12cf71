// Entry of the verification utilityProcess: the shared verification service over
// process.parentPort, with the Node ports (native zlib and crypto, positional file reads).

import { serveVerification } from '../shared/ipc/verify-service';
import { electronServiceDeps } from './worker-service';

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!port) throw new Error('verify-worker runs only as an Electron utility process');

// parentPort transfers only MessagePorts, so replies are cloned (transfer lists are ignored).
serveVerification(
  {
    post: (reply) => port.postMessage(reply),
    listen: (onRequest) => port.on('message', (e) => onRequest(e.data)),
  },
  electronServiceDeps(),
);
