import type { RequestHandler } from 'express';
import { GraphError, unknownObject } from './graph-errors.js';
import type { WhatsAppSandboxState } from './state.js';

/** `v23.0`-style versions only, and only this sandbox's phone number id. */
export function phoneNumberGuard(state: WhatsAppSandboxState): RequestHandler {
  return function whatsappPhoneNumber(req, _res, next) {
    const version = String(req.params.version);
    if (!/^v\d+\.\d+$/.test(version)) return next(new GraphError(400, 2500, `Unknown path components: /${version}`));
    if (req.params.phoneNumberId !== state.options.phoneNumberId)
      return next(unknownObject(String(req.params.phoneNumberId)));
    next();
  };
}
