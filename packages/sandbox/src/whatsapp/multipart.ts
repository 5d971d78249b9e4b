import busboy from 'busboy';
import type { Request } from 'express';
import { invalidParameter, mediaUploadError } from './graph-errors.js';

export interface Upload {
  readonly fields: Record<string, string>;
  readonly file?: { readonly data: Buffer; readonly filename: string; readonly mimeType: string };
}

/** Reads a multipart upload with busboy, refusing anything over `maxBytes` without buffering the rest. */
export function readUpload(req: Request, maxBytes: number): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 20 } });
    } catch {
      return reject(invalidParameter('the upload must be multipart/form-data'));
    }
    const fields: Record<string, string> = {};
    let file: Upload['file'];
    let tooLarge = false;
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => (tooLarge = true));
      stream.on(
        'end',
        () => (file = { data: Buffer.concat(chunks), filename: info.filename ?? 'file', mimeType: info.mimeType }),
      );
    });
    parser.on('error', () => reject(invalidParameter('the multipart body could not be read')));
    parser.on('close', () =>
      tooLarge ? reject(mediaUploadError(`the file is larger than ${maxBytes} bytes`)) : resolve({ fields, file }),
    );
    req.pipe(parser);
  });
}
