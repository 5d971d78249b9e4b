import { Router, type Request, type Response } from 'express';
import { faultError, faultsFor } from './faults.js';
import { MAX_DOWNLOAD_BYTES, fileMethods } from './methods/files.js';
import type { MethodHandler, MethodResult } from './methods/context.js';
import { sendMethods } from './methods/send.js';
import { setupMethods } from './methods/setup.js';
import { readParams, type UploadedFile } from './params.js';
import { botByToken, type TelegramSandboxState } from './state.js';
import { TelegramApiError } from './wire.js';

// Method names are case-insensitive on the wire (https://core.telegram.org/bots/api#making-requests).
const METHODS = new Map<string, readonly [string, MethodHandler]>(
  Object.entries({ ...setupMethods, ...fileMethods, ...sendMethods }).map(
    ([name, handler]) => [name.toLowerCase(), [name, handler]] as const,
  ),
);

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the call log keeps of the parameters: files by name, type and size, never their bytes. A
 * parameter that points at a part (`attach://<name>`, as some clients send) shows that part in place.
 */
function loggedParams(params: Record<string, unknown>, files: Record<string, UploadedFile>): Record<string, unknown> {
  const describe = (f: UploadedFile) => ({ file_name: f.fileName, mime_type: f.mimeType, file_size: f.data.length });
  const logged: Record<string, unknown> = { ...params };
  const attached = new Set<string>();
  for (const [key, value] of Object.entries(params)) {
    const part = typeof value === 'string' ? /^attach:\/\/(.+)$/.exec(value)?.[1] : undefined;
    if (part && files[part]) {
      logged[key] = describe(files[part]);
      attached.add(part);
    }
  }
  for (const [field, file] of Object.entries(files)) if (!attached.has(field)) logged[field] = describe(file);
  return logged;
}

function answer(res: Response, status: number, body: object): void {
  res.status(status).json(body);
}

function errorBody(error: TelegramApiError) {
  return {
    ok: false,
    error_code: error.errorCode,
    description: error.description,
    ...(error.parameters ? { parameters: error.parameters } : {}),
  };
}

async function handle(
  state: TelegramSandboxState,
  req: Request,
  res: Response,
  token: string,
  rawMethod: string,
): Promise<void> {
  const bot = botByToken(state, token);
  const entry = METHODS.get(rawMethod.toLowerCase());
  const log = (status: number, body: object, params: Record<string, unknown> = {}) =>
    state.calls.push({
      seq: state.calls.length + 1,
      at: new Date().toISOString(),
      botId: bot?.id,
      method: entry?.[0] ?? rawMethod,
      params,
      status,
      response: body,
    });
  const refuse = (status: number, description: string) => {
    const body = { ok: false, error_code: status, description };
    answer(res, status, body);
    log(status, body);
  };
  if (!bot) return refuse(401, 'Unauthorized');
  if (!entry) return refuse(404, 'Not Found');
  const [method, handler] = entry;
  let params: Record<string, unknown> = {};
  try {
    const parsed = await readParams(req);
    params = loggedParams(parsed.params, parsed.files);
    for (const fault of faultsFor(state, bot.id, method)) {
      if (fault.type === 'latency') await delay(fault.latencyMs);
      const error = faultError(fault);
      if (error) throw error;
    }
    const outcome: MethodResult = await handler({ state, bot, params: parsed.params, files: parsed.files });
    const body = {
      ok: true,
      result: outcome.result,
      ...(outcome.description ? { description: outcome.description } : {}),
    };
    answer(res, 200, body);
    log(200, body, params);
  } catch (error) {
    if (!(error instanceof TelegramApiError)) throw error;
    const body = errorBody(error);
    answer(res, error.errorCode, body);
    log(error.errorCode, body, params);
  }
}

/** `/bot<token>/<method>` for every method, and `/file/bot<token>/<file_path>` for downloads. */
export function botApiRoutes(state: TelegramSandboxState): Router {
  const router = Router();
  router.use(async function botApi(req, res, next) {
    const call = /^\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/.exec(req.path);
    if (call && (req.method === 'GET' || req.method === 'POST'))
      return handle(state, req, res, decodeURIComponent(call[1]!), call[2]!);
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.path);
    if (download && req.method === 'GET')
      return serveFile(state, res, decodeURIComponent(download[1]!), decodeURIComponent(download[2]!));
    next();
  });
  return router;
}

function serveFile(state: TelegramSandboxState, res: Response, token: string, filePath: string): void {
  const bot = botByToken(state, token);
  if (!bot) return void answer(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
  const file = [...state.files.values()].find((f) => f.filePath === filePath && f.botId === bot.id);
  if (!file) return void answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
  if (file.data.length > MAX_DOWNLOAD_BYTES)
    return void answer(res, 400, { ok: false, error_code: 400, description: 'Bad Request: file is too big' });
  res.status(200).type(file.mimeType).setHeader('content-length', file.data.length).end(file.data);
}
