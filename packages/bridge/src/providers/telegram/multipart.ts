import { randomBytes } from 'node:crypto';

/** One upload: text parameters plus one file. */
export interface TelegramUpload {
  readonly fields: Readonly<Record<string, string>>;
  readonly file: {
    readonly field: string;
    readonly filename: string;
    readonly contentType: string;
    readonly data: Buffer;
  };
}

/**
 * Quotes a name for Content-Disposition as browsers do (HTML's multipart/form-data: `"`, CR and LF percent-encoded).
 */
const quoted = (name: string) => `"${name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;

/**
 * multipart/form-data built by hand: the FormData serializer turns every "\n" in a field value into "\r\n" (the HTML
 * encoding algorithm), so a caption's line breaks would reach Telegram as CRLF. RFC 7578 leaves values as they are.
 */
export function multipartBody(upload: TelegramUpload): { body: Buffer; contentType: string } {
  const boundary = `----bridge${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(upload.fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${value}\r\n`, 'utf8'),
    );
  }
  const { field, filename, contentType, data } = upload.file;
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(field)}; filename=${quoted(filename)}\r\nContent-Type: ${contentType}\r\n\r\n`,
      'utf8',
    ),
  );
  parts.push(data, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
