import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { requirePortal, SCOPES } from '../auth.js';
import { HubSpotSandboxError, notFound, validationError } from '../errors.js';
import { FILE_ACCESS, storeFile } from '../files-store.js';
import { readMultipart } from '../multipart.js';
import { publicFile } from '../public.js';
import type { HubSpotSandboxState, SandboxFile } from '../state.js';
import { parseOrThrow } from '../validate.js';

// `options` arrives as a JSON string part (https://developers.hubspot.com/docs/api-reference/files-files-v3/guide);
// `access` is required.
const uploadOptions = z.object({
  access: z.enum(FILE_ACCESS),
  ttl: z
    .string()
    .regex(/^P(\d+[YMWD])+$/, 'ttl must be an ISO-8601 period such as P1D or P1Y')
    .optional(),
  overwrite: z.boolean().optional(),
  duplicateValidationStrategy: z.enum(['NONE', 'REJECT', 'RETURN_EXISTING']).optional(),
  duplicateValidationScope: z.enum(['ENTIRE_PORTAL', 'EXACT_FOLDER']).optional(),
});

function parseOptions(raw: string | undefined) {
  if (raw === undefined)
    throw validationError('options is required', [{ message: 'options is required', in: 'options', code: 'REQUIRED' }]);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw validationError('options must be a JSON string', [{ message: 'options is not valid JSON', in: 'options' }]);
  }
  return parseOrThrow(uploadOptions, json);
}

const publicAccess = (f: SandboxFile) =>
  f.access.startsWith('PUBLIC') || f.access.startsWith('HIDDEN_INDEXABLE') || f.access === 'HIDDEN_NOT_INDEXABLE';

function portalFile(state: HubSpotSandboxState, portalId: string, fileId: string): SandboxFile {
  const file = state.files.get(fileId);
  if (!file || file.portalId !== portalId || file.archived) throw notFound(`File ${fileId}`);
  return file;
}

/** Files v3: multipart upload, metadata, and signed URLs whose bytes the sandbox serves until they expire. */
export function fileRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  router.post('/files/v3/files', async function uploadFile(req, res) {
    const portal = requirePortal(state, req, SCOPES.files);
    const form = await readMultipart(req, state.options.maxFileBytes);
    const part = form.files.find((f) => f.field === 'file');
    req.body = {
      ...form.fields,
      file: part ? { filename: part.filename, contentType: part.contentType, size: part.bytes.length } : undefined,
    };
    if (!part)
      throw validationError('file is required', [{ message: 'file is required', in: 'file', code: 'REQUIRED' }]);
    const { folderPath, folderId } = form.fields;
    if ((folderPath === undefined) === (folderId === undefined)) {
      throw validationError('Exactly one of folderPath and folderId is required', [
        { message: 'give folderPath or folderId', in: 'folderPath' },
      ]);
    }
    const options = parseOptions(form.fields.options);
    const file = storeFile(state, {
      portalId: portal.portalId,
      bytes: part.bytes,
      fileName: form.fields.fileName || part.filename,
      contentType: part.contentType,
      access: options.access,
      folderPath,
      folderId,
      duplicateValidationStrategy: options.duplicateValidationStrategy,
    });
    res.status(201).json(publicFile(state, file));
  });
  router.get('/files/v3/files/:fileId', function getFile(req, res) {
    const portal = requirePortal(state, req, SCOPES.files);
    res.json(publicFile(state, portalFile(state, portal.portalId, req.params.fileId)));
  });
  router.get('/files/v3/files/:fileId/signed-url', function signedUrl(req, res) {
    const portal = requirePortal(state, req, SCOPES.files);
    const file = portalFile(state, portal.portalId, req.params.fileId);
    const seconds = req.query.expirationSeconds === undefined ? 3600 : Number(req.query.expirationSeconds);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400 * 7) {
      throw validationError('expirationSeconds must be an integer from 1 to 604800', [
        { message: 'bad expirationSeconds', in: 'expirationSeconds' },
      ]);
    }
    const token = randomBytes(24).toString('base64url');
    const expiresAt = Date.now() + seconds * 1000;
    state.signedUrls.set(token, { fileId: file.id, expiresAt });
    res.json({
      url: `${state.origin}/signed-files/${token}/${encodeURIComponent(file.extension ? `${file.name}.${file.extension}` : file.name)}`,
      name: file.name,
      extension: file.extension,
      size: file.size,
      type: file.type,
      expiresAt: new Date(expiresAt).toISOString(),
    });
  });
  // The CDN side: a signed URL serves the bytes until it expires (403 after, as a signed-URL store answers).
  router.get('/signed-files/:token/:name', function download(req, res) {
    const signed = state.signedUrls.get(req.params.token);
    const file = signed && state.files.get(signed.fileId);
    if (!signed || !file) throw new HubSpotSandboxError(403, 'FORBIDDEN', 'This signed URL is not valid');
    if (signed.expiresAt <= Date.now()) throw new HubSpotSandboxError(403, 'FORBIDDEN', 'This signed URL has expired');
    res.type(file.contentType).set('content-length', String(file.size)).send(file.bytes);
  });
  // The file's own `url`: served for public files only; private files need a signed URL.
  router.get(/^\/hubfs\/(\d+)(\/.+)$/, function hostedFile(req, res) {
    const [portalId, path] = [req.params[0], decodeURIComponent(req.params[1] ?? '')];
    const file = [...state.files.values()].find((f) => f.portalId === portalId && f.path === path && !f.archived);
    if (!file) throw notFound(`File ${path}`);
    if (!publicAccess(file)) throw new HubSpotSandboxError(403, 'FORBIDDEN', 'This file is private; use a signed URL');
    res.type(file.contentType).send(file.bytes);
  });
  return router;
}
