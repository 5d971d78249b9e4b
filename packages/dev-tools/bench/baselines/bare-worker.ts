import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';

// Baseline (a), worker side: its own process and task queue on the bench's Temporal dev server. The activity does
// nothing but note when it ran, which the bench reads from GET /completions?since=N as the "published" moment.
const completions: [string, number][] = [];
const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
// Sources import `./x.js` while the files are `.ts`, as in src/temporal/bundle.ts.
const workflowBundle = await bundleWorkflowCode({
  workflowsPath: fileURLToPath(new URL('./bare-workflow.ts', import.meta.url)),
  logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  webpackConfigHook: (config) => ({
    ...config,
    resolve: { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } },
  }),
});
const worker = await Worker.create({
  connection,
  taskQueue: process.env.BARE_TASK_QUEUE!,
  workflowBundle,
  activities: {
    async noop(key: string) {
      completions.push([key, Date.now()]);
    },
  },
});
http
  .createServer((req, res) => {
    const since = Number(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('since') ?? 0);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ total: completions.length, completions: completions.slice(since) }));
  })
  .listen(Number(process.env.BARE_WORKER_PORT), '127.0.0.1', () =>
    console.log(JSON.stringify({ msg: 'bare worker polling' })),
  );
process.on('SIGTERM', () => worker.shutdown());
await worker.run();
process.exit(0);
