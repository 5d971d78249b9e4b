import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { bundleWorkflowCode, type ActivityInterceptorsFactory, type InjectedSinks } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../temporal/bundle.js';
import type { Tracing } from './setup.js';

const require = createRequire(import.meta.url);
/** Runs inside the workflow sandbox: it must be bundled with the workflows, not passed to a prebuilt bundle. */
export const OTEL_WORKFLOW_INTERCEPTORS =
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/** The worker's half of tracing: workflow spans leave the sandbox through a sink, activities get their own spans. */
export function workerTracing(tracing: Tracing): {
  activityInterceptors: ActivityInterceptorsFactory[];
  sinks: InjectedSinks<Record<string, never>>;
} {
  return {
    activityInterceptors: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer }),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) } as unknown as InjectedSinks<
      Record<string, never>
    >,
  };
}

/** The workflows bundled with the OpenTelemetry workflow interceptors (same resolution as bundleWorkflows). */
export async function bundleTracedWorkflows(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: [OTEL_WORKFLOW_INTERCEPTORS],
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } },
    }),
  });
  return code;
}

/** Bundles the traced workflows into a temp file for the worker (a few seconds at start-up). */
export async function tracedBundlePath(): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-traced-')), 'workflow-bundle.js');
  fs.writeFileSync(file, await bundleTracedWorkflows());
  return file;
}
