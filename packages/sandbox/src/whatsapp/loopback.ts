import type { Request } from 'express';

/**
 * Whether the request came from this machine: the emulator answers credentials (access tokens, app secrets) only
 * then. The sandbox binds 127.0.0.1; this keeps them off its pages if it is ever reached from elsewhere.
 */
export function fromLoopback(req: Request): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
