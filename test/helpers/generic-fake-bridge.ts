import type http from 'node:http';
import { listenLocal } from './generic-server.js';

export interface CapturedRequest {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

/** Stands in for the bridge's inbound endpoint: records raw requests and answers from a script (then 200). */
export async function startFakeBridge() {
  const requests: CapturedRequest[] = [];
  const script: { status: number; headers?: Record<string, string> }[] = [];
  const server = await listenLocal((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body, at: Date.now() });
      const answer = script.shift() ?? { status: 200 };
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        .end(JSON.stringify(answer.status < 300 ? { ok: true } : { error: 'scripted' }));
    });
  });
  return { ...server, requests, script, inboundUrl: `${server.url}/webhooks/generic/555` };
}
