import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/**
 * A hostile media host on loopback. `GET /<shape>/<bytes>` answers `<bytes>` bytes of zeros shaped as:
 * - `gzip`: `Content-Encoding: gzip` with its (small) compressed `Content-Length`, inflating to `<bytes>`;
 * - `declared`: an honest `Content-Length: <bytes>`;
 * - `chunked`: no `Content-Length` at all;
 * - `understated`: `Content-Length: 1000`, then `<bytes>` bytes written anyway;
 * - `file/<name>`: the bytes registered with `serveFile`, as `application/octet-stream`-ish files, no encoding.
 * `written` counts the body bytes each answer put on the wire before the client went away.
 */
export async function startMediaHost() {
  const written: Record<string, number> = {};
  const files = new Map<string, { bytes: Buffer; contentType: string }>();
  const gzipCache = new Map<number, Buffer>();
  const server = http.createServer((req, res) => {
    const [, shape, arg] = /^\/([\w-]+)\/(.+)$/.exec(req.url ?? '') ?? [];
    const key = req.url ?? '';
    written[key] = 0;
    const size = Number(arg);
    if (shape === 'file') {
      const file = files.get(arg ?? '');
      if (!file) return res.writeHead(404).end();
      return res
        .writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.length) })
        .end(file.bytes);
    }
    if (shape === 'gzip') {
      let body = gzipCache.get(size);
      if (!body) gzipCache.set(size, (body = gzipSync(Buffer.alloc(size), { level: 9 })));
      written[key] = body.length;
      return res
        .writeHead(200, {
          'content-type': 'image/jpeg',
          'content-encoding': 'gzip',
          'content-length': String(body.length),
        })
        .end(body);
    }
    if (shape === 'understated') {
      // Raw bytes on the socket: Node's own response object would refuse to write past Content-Length.
      const socket = res.socket!;
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\ncontent-length: 1000\r\nconnection: close\r\n\r\n');
      return pump(
        (chunk) => socket.write(chunk),
        () => socket.end(),
        size,
        key,
        socket,
      );
    }
    const headers: Record<string, string> = { 'content-type': 'image/jpeg' };
    if (shape === 'declared') headers['content-length'] = String(size);
    res.writeHead(200, headers);
    pump(
      (chunk) => res.write(chunk),
      () => res.end(),
      size,
      key,
      res.socket!,
    );
  });
  /** Writes `size` zero bytes in 64 KiB chunks, respecting backpressure, until done or the client leaves. */
  function pump(
    write: (chunk: Buffer) => boolean,
    end: () => void,
    size: number,
    key: string,
    socket: NodeJS.EventEmitter & { destroyed: boolean },
  ) {
    const chunk = Buffer.alloc(64 * 1024);
    const step = () => {
      while (written[key]! < size) {
        if (socket.destroyed) return;
        const n = Math.min(chunk.length, size - written[key]!);
        written[key]! += n;
        if (!write(chunk.subarray(0, n))) return void socket.once('drain', step);
      }
      end();
    };
    socket.on('error', () => undefined);
    step();
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    written,
    /** The URL of a shaped body, on the allowed name `media.test` (the test resolver maps it to loopback). */
    url: (shape: 'gzip' | 'declared' | 'chunked' | 'understated', bytes: number) =>
      `http://media.test:${port}/${shape}/${bytes}`,
    serveFile(name: string, bytes: Buffer, contentType: string): string {
      files.set(name, { bytes, contentType });
      return `http://media.test:${port}/file/${name}`;
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
