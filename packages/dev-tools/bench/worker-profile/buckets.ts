/**
 * Which part of the worker a profiled function belongs to, from its file (`file://` stripped; bundled workflow code
 * mapped back to its source first), its name, and its caller's bucket.
 */
export const IDLE = '(idle)';
export const PROGRAM = 'native code outside JS: (program)';
export const GC = 'garbage collection';
export const NODE = 'node internals (event loop, timers, sockets)';
export const CORE_BRIDGE = 'Temporal core bridge: calls into Rust (their synchronous part)';
export const SDK_VM_ENTRY = 'Temporal SDK: entering the workflow sandbox (vm runInContext and its timeout watchdog)';
export const SDK_STACKS = 'Temporal SDK: a stack trace for every workflow Promise (promise hook, source map)';
export const SDK_THREADS = 'Temporal SDK: main ↔ workflow thread messages';
export const SDK_COMMON = 'Temporal SDK common (@temporalio/common, activity, client; workflow outside the sandbox)';
export const SDK_WORKER = 'Temporal SDK worker: activations, activities, rxjs pipeline';
export const WORKFLOW_OURS = 'workflow code (ours, bundled)';
export const WORKFLOW_RUNTIME = 'workflow runtime (@temporalio/workflow etc., bundled)';
export const WORKFLOW_UNMAPPED = 'workflow bundle (no source map entry)';
export const OTHER_SRC = 'other bridge code (src/)';
export const PROTOBUF = 'protobuf (de)serialisation (protobufjs, @temporalio/proto)';
export const INTERCEPTORS = 'activity interceptors (src/metrics/activity-interceptor.ts)';
export const METRICS = 'metrics (prom-client, src/metrics)';
export const LOGGING = 'logging (pino, src/logger)';
export const ACTIVITIES = 'our activities (src/activities)';
export const STORE = 'store (src/store, better-sqlite3)';
export const HUBSPOT = 'HubSpot client (src/hubspot, @hubspot/api-client, node-fetch)';

const SDK_WORKFLOW = /\/node_modules\/@temporalio\/worker\/lib\/workflow\//;
/**
 * vm-shared.js's promise hook and its Error.prepareStackTrace, which formats each stack through the bundle's source
 * map.
 */
const STACK_FUNCTIONS = new Set([
  'init',
  'Error.prepareStackTrace',
  'formatCallsiteName',
  'getActivator',
  'cutoffStructuredStackTrace',
  'cutoffStackTrace',
]);

const RULES: readonly (readonly [string, RegExp])[] = [
  [SDK_THREADS, /\/node_modules\/@temporalio\/worker\/lib\/workflow\/(threaded-vm|workflow-worker-thread)\.js$/],
  [SDK_STACKS, /\/node_modules\/source-map\//],
  [PROTOBUF, /\/node_modules\/(@temporalio\/proto|protobufjs|@protobufjs|long)\//],
  [SDK_WORKER, /\/node_modules\/(@temporalio\/worker|rxjs)\//],
  [CORE_BRIDGE, /\/node_modules\/@temporalio\/core-bridge\//],
  [SDK_COMMON, /\/node_modules\/@temporalio\/(common|activity|client|workflow)\//],
  [
    'tracing (OpenTelemetry)',
    /\/node_modules\/(@opentelemetry|@temporalio\/interceptors-opentelemetry)\/|\/src\/tracing\//,
  ],
  [INTERCEPTORS, /\/src\/[^ ]*interceptor[^/]*\.ts$/],
  [METRICS, /\/src\/metrics\/|\/node_modules\/(prom-client|tdigest|bintrees)\//],
  [
    LOGGING,
    /\/src\/logger|\/node_modules\/(pino[^/]*|sonic-boom|thread-stream|@pinojs\/[^/]+|quick-format-unescaped|on-exit-leak-free|atomic-sleep|safe-stable-stringify|real-require)\//,
  ],
  [ACTIVITIES, /\/src\/activities\//],
  [STORE, /\/src\/store\/|\/node_modules\/(better-sqlite3|pg[^/]*|bindings)\//],
  [
    HUBSPOT,
    /\/src\/hubspot\/|\/node_modules\/(@hubspot\/api-client|node-fetch|bottleneck|es6-promise|form-data|lodash\.merge|whatwg-url|tr46|webidl-conversions)\//,
  ],
  ['providers (src/providers)', /\/src\/providers\//],
  ['domain (src/domain)', /\/src\/domain\//],
  ['validation (zod)', /\/node_modules\/zod\//],
  ['tsx loader', /\/node_modules\/(tsx|esbuild|get-tsconfig)\//],
];

const NODE_MODULE = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//;

export interface FrameFacts {
  readonly functionName: string;
  /** The frame's file; for bundled code, the bundle's file. Empty for V8 builtins and native functions. */
  readonly file: string;
  /** Bundled workflow code only: the source the position maps to, if the map has it. */
  readonly originalSource?: string;
  readonly inBundle: boolean;
  /** The caller's bucket; undefined at the top of the stack. */
  readonly callerBucket?: string;
  /** Names of the core bridge's native functions. */
  readonly nativeNames?: ReadonlySet<string>;
}

/**
 * A frame's bucket. Frames without a file (V8 builtins such as JSON.parse, WebAssembly) and Node's own modules count
 * for their caller, so pino's writes count as logging; only what Node runs on its own stays in "node internals".
 */
export function bucketOf(f: FrameFacts): string {
  switch (f.functionName) {
    case '(idle)':
      return IDLE;
    case '(program)':
      return PROGRAM;
    case '(garbage collector)':
      return GC;
    case '(root)':
      return NODE;
  }
  if (f.inBundle) return bucketOfBundled(f.originalSource);
  const builtin = !f.file || f.file.startsWith('wasm://');
  if (builtin && f.nativeNames?.has(f.functionName)) return CORE_BRIDGE;
  if (
    (builtin || f.file === 'node:vm') &&
    f.functionName === 'runInContext' &&
    f.callerBucket?.startsWith('Temporal SDK')
  )
    return SDK_VM_ENTRY;
  if (f.file === 'node:internal/promise_hooks') return SDK_STACKS; // only the SDK's workflow sandbox installs V8 promise hooks
  if (f.file === 'evalmachine.<anonymous>') return SDK_VM_ENTRY; // the SDK's call-into-the-sandbox script has no file name
  if (SDK_WORKFLOW.test(f.file) && f.file.endsWith('/vm-shared.js')) {
    return STACK_FUNCTIONS.has(f.functionName) || (!f.functionName && f.callerBucket === SDK_STACKS)
      ? SDK_STACKS
      : SDK_WORKER;
  }
  if (builtin || f.file.startsWith('node:')) {
    const caller = f.callerBucket;
    return !caller || caller === PROGRAM || caller === GC || caller === IDLE ? NODE : caller;
  }
  for (const [bucket, pattern] of RULES) if (pattern.test(f.file)) return bucket;
  const pkg = NODE_MODULE.exec(f.file)?.[1];
  if (pkg) return `library: ${pkg}`;
  if (/\/src\//.test(f.file)) return OTHER_SRC;
  return `other: ${f.file.split('/').slice(-2).join('/')}`;
}

/** Bundled workflow code, by the source it came from: ours (src/) or the SDK's runtime and its dependencies. */
function bucketOfBundled(originalSource: string | undefined): string {
  if (!originalSource) return WORKFLOW_UNMAPPED;
  if (/\/node_modules\//.test(originalSource)) return WORKFLOW_RUNTIME;
  if (/\/src\//.test(originalSource)) return WORKFLOW_OURS;
  return WORKFLOW_RUNTIME; // webpack's own runtime and the SDK's generated entry
}
