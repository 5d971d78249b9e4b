import type { RequestHandler } from 'express';
import { GraphError } from './graph-errors.js';
import type { Fault, WhatsAppSandboxState } from './state.js';

function errorFor(fault: Fault): GraphError | undefined {
  switch (fault.kind) {
    case 'rate_limit':
      return new GraphError(429, 130429, '(#130429) Rate limit hit', {
        error_subcode: 2494055,
        details: 'Cloud API message throughput has been reached.',
      });
    case 'pair_rate_limit':
      return new GraphError(400, 131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit', {
        details:
          'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
      });
    case 'server_error':
      return new GraphError(503, 2, 'Service temporarily unavailable', { is_transient: true });
    case 'latency':
      return undefined;
  }
}

function applies(fault: Fault): boolean {
  if (fault.remaining !== undefined) {
    if (fault.remaining <= 0) return false;
    fault.remaining -= 1;
    return true;
  }
  return Math.random() < (fault.share ?? 1);
}

/** Injected faults for one scope of Graph calls: latency first, then the first error fault that fires. */
export function injectFaults(state: WhatsAppSandboxState, scope: 'messages' | 'media'): RequestHandler {
  return async function whatsappFaults(_req, _res, next) {
    const active = state.faults.filter((f) => f.scope === 'all' || f.scope === scope);
    for (const fault of active) {
      if (!applies(fault)) continue;
      if (fault.kind === 'latency') {
        await new Promise((r) => setTimeout(r, fault.latencyMs ?? 1000));
        continue;
      }
      state.faults = state.faults.filter((f) => f.remaining === undefined || f.remaining > 0);
      return next(errorFor(fault));
    }
    state.faults = state.faults.filter((f) => f.remaining === undefined || f.remaining > 0);
    next();
  };
}
