import { Router } from 'express';
import { MEDIA_LINKS_PATH, type MediaLinks } from '../../media-links/index.js';
import { HttpError } from '../http-error.js';

/**
 * `GET /media-links/:id/:filename?expires=&sig=`: serves a staged outbound file to the provider that fetches it
 * (an MMS provider's media URL). 403 for a bad signature, 404 for an expired or unknown file. Express answers HEAD
 * through
 * this route too, which some providers use to check the Content-Type before they download.
 */
export function mediaLinksRouter(links: MediaLinks): Router {
  const router = Router();
  router.get(`${MEDIA_LINKS_PATH}/:id/:filename`, async function mediaLink(req, res) {
    const expires = Number(req.query.expires);
    const sig = typeof req.query.sig === 'string' ? req.query.sig : '';
    if (!Number.isInteger(expires) || !sig) throw new HttpError(403, 'the media link is not signed');
    const opened = await links.open({ id: String(req.params.id), filename: String(req.params.filename), expires }, sig);
    if (opened.kind === 'forbidden') throw new HttpError(403, 'the media link signature does not match');
    if (opened.kind === 'gone') throw new HttpError(404, 'the media link expired or names no file');
    const { file } = opened;
    res.set({
      'content-type': file.contentType,
      'content-length': String(file.data.length),
      // Some providers name the file on the handset from this.
      'content-disposition': `inline; filename="${file.filename}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(file.data);
  });
  return router;
}
