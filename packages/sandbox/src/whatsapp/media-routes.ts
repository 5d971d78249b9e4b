import { createHash, randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import { bearerAuth } from './auth.js';
import { injectFaults } from './faults.js';
import { GraphError, invalidParameter, mediaUploadError, unknownObject } from './graph-errors.js';
import { ALL_TYPES, MAX_BYTES, MAX_UPLOAD_BYTES, mediaTypeOf } from './media-rules.js';
import { readUpload } from './multipart.js';
import { phoneNumberGuard } from './phone-guard.js';
import { phoneNumberObject } from './phone-number-object.js';
import { newGraphId, now, type StoredMedia, type WhatsAppSandboxState } from './state.js';

export function storeMedia(
  state: WhatsAppSandboxState,
  owner: StoredMedia['owner'],
  data: Buffer,
  mimeType: string,
  filename?: string,
): StoredMedia {
  const media: StoredMedia = {
    id: newGraphId(),
    mimeType,
    data,
    sha256Hex: createHash('sha256').update(data).digest('hex'),
    filename,
    owner,
  };
  state.media.set(media.id, media);
  return media;
}

const origin = (req: Request) => `${req.protocol}://${req.get('host')}`;

/** Media upload, media metadata (a URL valid 5 minutes on the sandbox clock), download, and phone number lookup. */
export function mediaRoutes(state: WhatsAppSandboxState): Router {
  const router = Router();

  router.post(
    '/:version/:phoneNumberId/media',
    bearerAuth(state),
    phoneNumberGuard(state),
    injectFaults(state, 'media'),
    async function uploadMedia(req, res) {
      const upload = await readUpload(req, MAX_UPLOAD_BYTES);
      if (upload.fields.messaging_product !== 'whatsapp')
        throw invalidParameter('messaging_product must be "whatsapp"');
      if (!upload.file) throw invalidParameter('Param file is required');
      const mimeType = upload.fields.type || upload.file.mimeType;
      const type = mediaTypeOf(mimeType);
      if (!type)
        throw invalidParameter(
          `Param file must be a file with one of the following types: ${ALL_TYPES.join(', ')}. Received file of type '${mimeType}'.`,
        );
      if (upload.file.data.length > MAX_BYTES[type]) {
        throw mediaUploadError(
          `${type} files must be at most ${MAX_BYTES[type]} bytes; this one is ${upload.file.data.length}`,
        );
      }
      res.json({ id: storeMedia(state, 'business', upload.file.data, mimeType, upload.file.filename).id });
    },
  );

  router.get('/whatsapp_business/attachments/', bearerAuth(state), function downloadMedia(req, res) {
    const grant = state.mediaUrls.get(String(req.query.hash ?? ''));
    const media = grant && state.media.get(grant.mediaId);
    if (!grant || !media || String(req.query.mid) !== grant.mediaId || grant.expiresAt < now(state)) {
      return void res.status(404).type('text/plain').send('URL signature expired');
    }
    res.set('content-type', media.mimeType).set('content-length', String(media.data.length)).send(media.data);
  });

  router.get('/:version/:id', bearerAuth(state), injectFaults(state, 'media'), function graphObject(req, res) {
    const id = String(req.params.id);
    if (!/^v\d+\.\d+$/.test(String(req.params.version)))
      throw new GraphError(400, 2500, `Unknown path components: /${String(req.params.version)}`);
    if (id === state.options.phoneNumberId) return void res.json(phoneNumberObject(state, req.query.fields));
    const media = state.media.get(id);
    if (!media) throw unknownObject(id);
    const token = randomBytes(16).toString('hex');
    state.mediaUrls.set(token, { mediaId: id, expiresAt: now(state) + state.options.mediaUrlTtlMs });
    res.json({
      messaging_product: 'whatsapp',
      url: `${origin(req)}/whatsapp_business/attachments/?mid=${id}&ext=${Math.floor(now(state) / 1000)}&hash=${token}`,
      mime_type: media.mimeType,
      sha256: media.sha256Hex,
      file_size: media.data.length,
      id,
    });
  });
  return router;
}
