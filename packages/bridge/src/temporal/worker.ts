import { NativeConnection, Worker, type ActivityInterceptorsFactory, type InjectedSinks } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { bundleWorkflows } from './bundle.js';

export interface BridgeWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly deps: ActivityDeps;
  /** A prebuilt bundle (`bundleWorkflows()` written to disk) saves the start-up bundling. */
  readonly workflowBundlePath?: string;
  /** Workflows kept in memory between tasks (TEMPORAL_MAX_CACHED_WORKFLOWS); the SDK's default otherwise. */
  readonly maxCachedWorkflows?: number;
  /** Metrics and step logs (src/metrics/activity-interceptor.ts), tracing. */
  readonly activityInterceptors?: ActivityInterceptorsFactory[];
  /** Tracing's workflow span exporter (src/tracing/worker.ts). */
  readonly sinks?: InjectedSinks<Record<string, never>>;
  /**
   * After `shutdown()`, how long in-flight activities may run before the SDK cancels them (their retries then
   * run on another worker). An activity that ignores its cancellation keeps `run()` pending until it ends.
   * @default 0, the SDK's: cancel at once
   */
  readonly shutdownGraceMs?: number;
}

/**
 * How long past the grace src/worker.ts waits for activities that ignore their cancellation before it exits anyway.
 * (Not the SDK's `shutdownForceTime`: in 1.24 that fails `run()` with "Worker still in use" instead.)
 */
export const FORCE_AFTER_GRACE_MS = 5_000;

/** Real clients in, one worker out: the same wiring for production, `npm start` and the tests. */
export async function createBridgeWorker(options: BridgeWorkerOptions): Promise<Worker> {
  const workflowBundle = options.workflowBundlePath
    ? { codePath: options.workflowBundlePath }
    : await bundleWorkflows();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle,
    activities: createActivities(options.deps),
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
    interceptors: { activity: options.activityInterceptors ?? [] },
    ...(options.sinks ? { sinks: options.sinks } : {}),
    ...(options.shutdownGraceMs === undefined ? {} : { shutdownGraceTime: options.shutdownGraceMs }),
  });
}
