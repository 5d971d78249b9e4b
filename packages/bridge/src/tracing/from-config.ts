import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { exporterFor, startTracing, type Tracing, type TracingMode } from './setup.js';

/** Tracing for an entrypoint, or undefined when BRIDGE_TRACING is off (the default). */
export function tracingFromConfig(
  config: { readonly mode: TracingMode; readonly otlpEndpoint?: string },
  serviceName: string,
): Tracing | undefined {
  return config.mode === 'off'
    ? undefined
    : startTracing({ serviceName, exporter: exporterFor(config.mode, config.otlpEndpoint) });
}

/** The api's Temporal client interceptors: the workflow start joins the webhook's trace. */
export function clientTracingInterceptors(tracing: Tracing | undefined): WorkflowClientInterceptor[] {
  return tracing ? [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] : [];
}
