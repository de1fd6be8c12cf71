// The verifier's thread in the web build: the shared verification service
// (shared/ipc/verify-service.ts) over this worker's scope, with the web ports. Bundles are
// the page's Files, read by slice, never whole, so the page stays responsive while a large
// bundle is hashed.
/// <reference lib="webworker" />
import { serveVerification } from '../../shared/ipc/verify-service';
import { verifyBundle } from '../../shared/evb/verify';
import { blobSource, webPlatform } from '../../shared/platform/web';
import { bytesSource } from '../../shared/platform/ports';
import { CodedError } from '../../shared/platform/errors';
import { buildDemoBundle } from '../../shared/model/demo-bundle';
import { parsePacket } from '../../shared/model/packet';

const scope = self as unknown as DedicatedWorkerGlobalScope;

serveVerification<Blob>(
  {
    post: (reply, transfer) => scope.postMessage(reply, transfer),
    listen: (onRequest) => {
      scope.onmessage = (event: MessageEvent<unknown>) => onRequest(event.data);
    },
  },
  {
    platform: webPlatform,
    open: async (source) => {
      if (source.kind !== 'blob') throw new CodedError('bad-source', 'The web verifier opens only the files the page was given.');
      return blobSource(source.blob, source.name);
    },
    buildDemo: buildDemoBundle,
    demoSource: (bytes, bundleId) => bytesSource(bytes, `${bundleId}.evb`),
    verify: verifyBundle,
    checkPacket: parsePacket,
    now: () => Date.now(),
  },
);
