// A V8 CPU profile of the page's first dedicated worker (the verifier), over the DevTools
// protocol: the page's session auto-attaches to workers (non-flattened, so the messages go
// through Target.sendMessageToTarget on the same session) and starts the profiler before
// the worker runs its first line.
import type { Page } from 'playwright-core';

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

type Reply = { id?: number; result?: Record<string, unknown>; error?: { message: string } };

export async function attachWorkerProfiler(page: Page, intervalUs = 500): Promise<{ stop: () => Promise<CpuProfile> }> {
  const cdp = await page.context().newCDPSession(page);
  let nextId = 0;
  const waiting = new Map<number, (r: Reply) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
    const m = JSON.parse(e.message) as Reply;
    if (m.id != null) waiting.get(m.id)?.(m);
  });
  const send = (sessionId: string, method: string, params: object = {}) =>
    new Promise<Reply>((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, (r) => (r.error ? reject(new Error(`${method}: ${r.error.message}`)) : resolve(r)));
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  let session = '';
  const started = new Promise<void>((resolve) => {
    cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string } }) => {
      if (e.targetInfo.type !== 'worker' || session) return;
      session = e.sessionId;
      void (async () => {
        await send(session, 'Profiler.enable');
        await send(session, 'Profiler.setSamplingInterval', { interval: intervalUs });
        await send(session, 'Profiler.start');
        await send(session, 'Runtime.runIfWaitingForDebugger');
        resolve();
      })();
    });
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  return {
    async stop() {
      await started;
      const r = await send(session, 'Profiler.stop');
      return r.result!.profile as CpuProfile;
    },
  };
}
