import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { HubSpotSandboxError, validationError } from './errors.js';
import { rateLimitedBody } from './rate-limit.js';
import type { HubSpotSandboxState, SandboxFault } from './state.js';

/**
 * What `POST /_sandbox/faults` accepts. Give `count` (the next N calls) or `share` (0..1 of calls), or neither (all
 * calls).
 */
export interface FaultSpec {
  readonly kind: SandboxFault['kind'];
  readonly status?: number;
  readonly latencyMs?: number;
  readonly pathContains?: string;
  readonly method?: string;
  readonly count?: number;
  readonly share?: number;
}

const KINDS: readonly SandboxFault['kind'][] = ['status', 'rate-limit', 'latency', 'drop', 'timeout-after-accept'];

export function addFault(state: HubSpotSandboxState, spec: FaultSpec): SandboxFault {
  if (!KINDS.includes(spec.kind))
    throw validationError(`kind must be one of ${KINDS.join(', ')}`, [{ message: 'unknown kind', in: 'kind' }]);
  if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599)) {
    throw validationError('status must be an HTTP error status (400-599)', [{ message: 'bad status', in: 'status' }]);
  }
  if (spec.count !== undefined && (!Number.isInteger(spec.count) || spec.count < 1))
    throw validationError('count must be a positive integer');
  if (spec.share !== undefined && !(spec.share > 0 && spec.share <= 1))
    throw validationError('share must be in (0, 1]');
  if (spec.kind === 'latency' && !(Number(spec.latencyMs) > 0)) throw validationError('latency needs latencyMs > 0');
  const fault: SandboxFault = {
    id: randomUUID(),
    kind: spec.kind,
    hits: 0,
    ...(spec.kind === 'status' ? { status: spec.status ?? 503 } : {}),
    ...(spec.latencyMs !== undefined ? { latencyMs: spec.latencyMs } : {}),
    ...(spec.pathContains ? { pathContains: spec.pathContains } : {}),
    ...(spec.method ? { method: spec.method.toUpperCase() } : {}),
    ...(spec.count !== undefined ? { remaining: spec.count } : {}),
    ...(spec.share !== undefined ? { share: spec.share } : {}),
  };
  state.faults.push(fault);
  return fault;
}

/** Removes one fault by id, or all of them. */
export function clearFaults(state: HubSpotSandboxState, id?: string): void {
  const keep = id ? state.faults.filter((f) => f.id !== id) : [];
  state.faults.splice(0, state.faults.length, ...keep);
}

function takeFault(state: HubSpotSandboxState, method: string, path: string): SandboxFault | undefined {
  const fault = state.faults.find(
    (f) =>
      (!f.method || f.method === method) &&
      (!f.pathContains || path.includes(f.pathContains)) &&
      (f.share === undefined || Math.random() < f.share),
  );
  if (!fault) return undefined;
  fault.hits += 1;
  if (fault.remaining !== undefined) {
    fault.remaining -= 1;
    if (fault.remaining <= 0) clearFaults(state, fault.id);
  }
  return fault;
}

/** Marks what the ledger should record for a call a fault changed. */
export function markFault(res: Response, kind: SandboxFault['kind'], status?: number): void {
  res.locals.fault = kind;
  if (status !== undefined) res.locals.ledgerStatus = status;
}

/** The sandbox's own page and the file bytes it shows are not HubSpot's API, so faults never hit them. */
export const isSandboxOwn = (path: string) =>
  path.startsWith('/_sandbox') || path === '/' || path.startsWith('/signed-files/');

/** Applies injected faults to HubSpot API paths only. */
export function faultInjection(state: HubSpotSandboxState): RequestHandler {
  return function injectFault(req, res, next) {
    if (isSandboxOwn(req.path) || state.faults.length === 0) return next();
    const fault = takeFault(state, req.method, req.path);
    if (!fault) return next();
    markFault(res, fault.kind);
    switch (fault.kind) {
      case 'status':
        return next(
          new HubSpotSandboxError(fault.status ?? 503, 'INTERNAL_ERROR', `Injected fault: HTTP ${fault.status ?? 503}`),
        );
      case 'rate-limit':
        res.status(429).set('Retry-After', '1').json(rateLimitedBody());
        return;
      case 'latency':
        setTimeout(next, fault.latencyMs ?? 0);
        return;
      case 'drop':
        markFault(res, 'drop', 0);
        req.socket.destroy();
        return;
      case 'timeout-after-accept':
        // The request is processed in full, then the connection dies before the answer leaves: the caller cannot
        // know it succeeded. Exactly the case integrationIdempotencyId exists for.
        res.end = function destroyInsteadOfAnswering() {
          req.socket.destroy();
          return res;
        } as Response['end'];
        return next();
    }
  };
}
