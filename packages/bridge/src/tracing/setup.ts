import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** `BRIDGE_TRACING`: off (default), console (spans as log lines), otlp (OTLP/HTTP to `otlpEndpoint`). */
export type TracingMode = 'off' | 'console' | 'otlp';

export interface Tracing {
  readonly tracer: Tracer;
  readonly resource: Resource;
  readonly spanProcessor: SpanProcessor;
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

/** The exporter for a mode; `otlpEndpoint` is the collector's base URL (…:4318), `/v1/traces` is added. */
export function exporterFor(mode: Exclude<TracingMode, 'off'>, otlpEndpoint = 'http://127.0.0.1:4318'): SpanExporter {
  return mode === 'console'
    ? new ConsoleSpanExporter()
    : new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/$/, '')}/v1/traces` });
}

/**
 * Installs a global tracer provider with async-context propagation (so a span started for a webhook is the
 * parent of the workflow start made while handling it). Once per process; `exporter` is in-memory in tests.
 */
export function startTracing(options: { serviceName: string; exporter: SpanExporter; batch?: boolean }): Tracing {
  const resource = new Resource({ 'service.name': options.serviceName });
  const spanProcessor =
    options.batch === false ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(options.exporter);
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // Without a propagator nothing is written into Temporal's headers, and each side starts its own trace.
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return { tracer: trace.getTracer('channel-bridge'), resource, spanProcessor, shutdown: () => provider.shutdown() };
}
