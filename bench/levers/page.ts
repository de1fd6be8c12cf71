// The page side of bench/web-levers.ts: starts workers from bench/levers/worker.ts and
// measures what only a page can (several workers at once, copy or transfer of chunks).
const w = window as unknown as Record<string, unknown>;

function call(worker: Worker, message: object, transfer: Transferable[] = []): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ ok: boolean; result?: unknown; error?: string }>) =>
      e.data.ok ? resolve(e.data.result) : reject(new Error(e.data.error));
    worker.postMessage(message, transfer);
  });
}

const spawn = () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

w.lever = async (op: string, arg: unknown) => {
  const worker = spawn();
  try {
    const file = op === 'read' || op === 'floor' ? (document.querySelector('input[type=file]') as HTMLInputElement).files![0] : undefined;
    return await call(worker, { op, arg, file });
  } finally {
    worker.terminate();
  }
};

/** k workers share `total` bytes of `what`; aggregate MB/s over the slowest worker's time. */
w.parallel = async (what: string, k: number, total: number) => {
  const workers = Array.from({ length: k }, spawn);
  await Promise.all(workers.map((x) => call(x, { op: 'echo', chunk: new Uint8Array(1) })));
  const t0 = performance.now();
  const times = (await Promise.all(workers.map((x) => call(x, { op: 'share', what, bytes: total / k })))) as number[];
  const ms = performance.now() - t0;
  for (const x of workers) x.terminate();
  return { what, workers: k, mbps: total / 1e6 / (ms / 1000), ms, slowestMs: Math.max(...times) };
};

/** `count` chunks of `size` bytes posted to a worker, copied (structured clone) or transferred. */
w.transfer = async (size: number, mode: 'copy' | 'transfer', count: number) => {
  const worker = spawn();
  await call(worker, { op: 'echo', chunk: new Uint8Array(1) });
  const chunks = Array.from({ length: count }, () => new Uint8Array(size).fill(7));
  const t0 = performance.now();
  for (const c of chunks) await call(worker, { op: 'echo', chunk: c }, mode === 'transfer' ? [c.buffer] : []);
  const ms = performance.now() - t0;
  worker.terminate();
  return { size, mode, msPerChunk: ms / count, mbps: (size * count) / 1e6 / (ms / 1000) };
};
w.ready = true;
