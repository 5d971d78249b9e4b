import type { Request } from 'express';
import busboy from 'busboy';
import { HubSpotSandboxError, validationError } from './errors.js';

export interface UploadedPart {
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export interface MultipartBody {
  readonly fields: Record<string, string>;
  readonly files: UploadedPart[];
}

/**
 * Reads a multipart/form-data body with busboy (streaming, limits enforced while reading, the parser Multer is built
 * on). Answers 400 for a body that is not multipart and 413 for a file past `maxFileBytes`.
 */
export function readMultipart(req: Request, maxFileBytes: number): Promise<MultipartBody> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(validationError('Content-Type must be multipart/form-data'));
  }
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: UploadedPart[] = [];
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume();
      reject(error);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxFileBytes, files: 10, fields: 20 } });
    } catch (e) {
      reject(validationError(`Malformed multipart body: ${(e as Error).message}`));
      return;
    }
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () =>
        fail(new HubSpotSandboxError(413, 'VALIDATION_ERROR', `File is larger than ${maxFileBytes} bytes`)),
      );
      stream.on('end', () => {
        files.push({
          field,
          filename: info.filename ?? 'file',
          contentType: info.mimeType || 'application/octet-stream',
          bytes: Buffer.concat(chunks),
        });
      });
    });
    parser.on('error', (e: Error) => fail(validationError(`Malformed multipart body: ${e.message}`)));
    parser.on('close', () => {
      if (!failed) resolve({ fields, files });
    });
    req.pipe(parser);
  });
}
