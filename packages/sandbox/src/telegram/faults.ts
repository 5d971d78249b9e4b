import type { Fault, FaultType, TelegramSandboxState } from './state.js';
import { TelegramApiError } from './wire.js';

export interface FaultInput {
  readonly type: FaultType;
  readonly botId?: number;
  readonly method?: string;
  /** rate_limit: seconds in `parameters.retry_after`. @default 3 */
  readonly retryAfter?: number;
  /** server_error: the 5xx status. @default 500 */
  readonly status?: number;
  /** latency: delay before the call is answered. @default 1000 */
  readonly latencyMs?: number;
  /** Only the next N matching calls. */
  readonly times?: number;
  /** Only this share (0-1) of matching calls. */
  readonly share?: number;
}

export function addFault(state: TelegramSandboxState, input: FaultInput): Fault {
  const fault: Fault = {
    id: state.nextFaultId++,
    type: input.type,
    botId: input.botId,
    method: input.method?.toLowerCase(),
    retryAfter: input.retryAfter ?? 3,
    status: input.status ?? 500,
    latencyMs: input.latencyMs ?? 1000,
    remaining: input.times,
    share: input.share,
    seen: 0,
  };
  state.faults.push(fault);
  return fault;
}

function applies(fault: Fault): boolean {
  fault.seen += 1;
  if (fault.share !== undefined && Math.floor(fault.seen * fault.share) === Math.floor((fault.seen - 1) * fault.share))
    return false;
  if (fault.remaining !== undefined) fault.remaining -= 1;
  return true;
}

/** The faults that fire on this call, consuming their counts. Spent faults are removed. */
export function faultsFor(state: TelegramSandboxState, botId: number, method: string): Fault[] {
  const matching = state.faults.filter(
    (f) =>
      (f.botId === undefined || f.botId === botId) && (f.method === undefined || f.method === method.toLowerCase()),
  );
  const firing = matching.filter(applies);
  for (let i = state.faults.length - 1; i >= 0; i--) if (state.faults[i]!.remaining === 0) state.faults.splice(i, 1);
  return firing;
}

/** What a firing fault answers, worded as Telegram words it; latency only delays. */
export function faultError(fault: Fault): TelegramApiError | undefined {
  switch (fault.type) {
    case 'rate_limit':
      return new TelegramApiError(429, `Too Many Requests: retry after ${fault.retryAfter}`, {
        retry_after: fault.retryAfter,
      });
    case 'blocked':
      return new TelegramApiError(403, 'Forbidden: bot was blocked by the user');
    case 'server_error':
      return new TelegramApiError(fault.status, fault.status === 502 ? 'Bad Gateway' : 'Internal Server Error');
    case 'latency':
      return undefined;
  }
}
