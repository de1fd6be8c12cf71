// The verifier's thread in the web build: the shared verification service
// (shared/ipc/verify-service.ts) over this worker's scope, with the web ports. Bundles are
// the page's Files, read by slice, never whole, so the page stays responsive while a large
// bundle is hashed.
/// <reference lib="webworker" />
import { serveVerification } from '../../shared/ipc/verify-service';
import { verifyBundle } from '../../shared/evb/verify';
import { blobSource, createWebPlatform, webPlatform } from '../../shared/platform/web';
import type { Platform } from '../../shared/platform/ports';
import { bytesSource } from '../../shared/platform/ports';
import { hashFileInWorker } from './file-hash';
import { digestEntriesInWorkers, prestartEntryWorkers } from './entry-digests';
import { CodedError } from '../../shared/platform/errors';
import { buildDemoBundle } from '../../shared/model/demo-bundle';
import { parsePacket } from '../../shared/model/packet';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// The WebAssembly hashers load asynchronously; requests wait for them (a few ms), and the
// TypeScript ports stand in where WebAssembly is refused.
let platform: Platform = webPlatform;
const ready = createWebPlatform().then((p) => {
  platform = p;
});
prestartEntryWorkers();

serveVerification<Blob>(
  {
    post: (reply, transfer) => scope.postMessage(reply, transfer),
    listen: (onRequest) => {
      scope.onmessage = (event: MessageEvent<unknown>) => void ready.then(() => onRequest(event.data));
    },
  },
  {
    get platform() {
      return platform;
    },
    open: async (source) => {
      if (source.kind !== 'blob') throw new CodedError('bad-source', 'The web verifier opens only the files the page was given.');
      // The entries are digested on two threads, and the whole-file SHA-256, after the
      // status, on a third, each reading the File itself.
      const blob = source.blob;
      return {
        ...blobSource(blob, source.name),
        sha256: (signal, onHashed) => hashFileInWorker(blob, onHashed, signal),
        digestEntries: digestEntriesInWorkers(blob),
      };
    },
    fileSha256AfterStatus: true,
    buildDemo: buildDemoBundle,
    demoSource: (bytes, bundleId) => bytesSource(bytes, `${bundleId}.evb`),
    verify: verifyBundle,
    checkPacket: parsePacket,
    now: () => Date.now(),
  },
);
