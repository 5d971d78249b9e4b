import type { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from './worker-metrics.js';

const ONE_STEP = 'publishInboundInOneStep';

/** The provider of the customer message an inbound step carries (its own argument shape per step). */
function inboundProvider(step: string, args: readonly unknown[]): string {
  const message = step === ONE_STEP ? (args[0] as { message?: unknown } | undefined)?.message : args[1];
  return (message as { provider?: string } | undefined)?.provider ?? 'unknown';
}

/** Which activities end a message, and how their result names the outcome. */
function messageOutcome(
  step: string,
  args: readonly unknown[],
  result: unknown,
): { direction: string; provider: string; outcome: string } | undefined {
  if (step === 'publishInboundMessage' || step === ONE_STEP) {
    const outcome = (result as { outcome?: string } | undefined)?.outcome;
    // The one step stopping in line is no outcome: the durable steps carry the message on.
    if (outcome === 'in-line') return undefined;
    return {
      direction: 'inbound',
      provider: inboundProvider(step, args),
      outcome: outcome === 'held' ? 'held' : 'published',
    };
  }
  if (step === 'reportOutboundStatus') {
    return { direction: 'outbound', provider: 'unknown', outcome: String(args[1] ?? 'unknown').toLowerCase() };
  }
  return undefined;
}

const final = (error: unknown, ctx: Context) => {
  const max = ctx.info.retryPolicy?.maximumAttempts ?? 0;
  return (error instanceof ApplicationFailure && error.nonRetryable) || (max > 0 && ctx.info.attempt >= max);
};

/**
 * Times every activity attempt into `bridge_step_duration_seconds`, counts message outcomes, and writes one
 * log line per attempt with the message key (the workflow id), so a message's steps can be grepped.
 */
export function metricsActivityInterceptor(metrics: WorkerMetrics, logger: Logger): ActivityInterceptorsFactory {
  const providers = new Map<string, string>();
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const step = ctx.info.activityType;
        const messageKey = ctx.info.workflowExecution?.workflowId ?? ctx.info.activityId;
        const log = logger.child({ messageKey, step, attempt: ctx.info.attempt });
        const started = performance.now();
        const seconds = () => (performance.now() - started) / 1000;
        try {
          const result = await next(input);
          metrics.steps.observe({ step, outcome: 'completed' }, seconds());
          rememberProvider(providers, step, messageKey, result);
          const outcome = messageOutcome(step, input.args, result);
          if (outcome)
            metrics.messages.inc({
              ...outcome,
              provider: outcome.direction === 'outbound' ? (providers.get(messageKey) ?? 'unknown') : outcome.provider,
            });
          log.info({ durationMs: Math.round(seconds() * 1000) }, 'step completed');
          return result;
        } catch (error) {
          const isFinal = final(error, ctx);
          metrics.steps.observe({ step, outcome: isFinal ? 'failed' : 'retrying' }, seconds());
          // The one step has one attempt: only a refusal for good ends the message there; anything else falls back.
          const endsMessage =
            (isFinal && step === 'publishInboundMessage') ||
            (step === ONE_STEP && error instanceof ApplicationFailure && error.nonRetryable);
          if (endsMessage)
            metrics.messages.inc({
              direction: 'inbound',
              provider: inboundProvider(step, input.args),
              outcome: 'failed',
            });
          log.warn(
            {
              durationMs: Math.round(seconds() * 1000),
              err: error instanceof Error ? error.message : String(error),
              final: isFinal,
            },
            'step failed',
          );
          throw error;
        }
      },
    },
  });
}

// Outbound status reports do not carry the provider; the route resolved earlier in the same message does.
function rememberProvider(providers: Map<string, string>, step: string, messageKey: string, result: unknown): void {
  const provider = step === 'resolveOutbound' ? (result as { provider?: string } | undefined)?.provider : undefined;
  if (!provider) return;
  providers.set(messageKey, provider);
  if (providers.size > 10_000) providers.delete(providers.keys().next().value!);
}
