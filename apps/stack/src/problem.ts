import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemBody, reasonPhrase, type HttpErrorCode } from '@platform/contracts';

/** An RFC 9457 problem document as every service of the platform answers it. */
export type Problem = ReturnType<typeof problemBody>;

/** Builds the edge's own problem; status and title come from the error catalogue. */
export function problem(code: HttpErrorCode, detail: string): Problem {
  return problemBody(code, detail);
}

const CONTENT_TYPE = 'application/problem+json';

/** Answers a plain HTTP request with a problem document. */
export function writeProblem(res: ServerResponse, body: Problem, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    // Part of an upstream answer already went out; a second status line would corrupt it.
    res.destroy();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(body.status, {
    ...headers,
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** Answers an upgrade request (a raw socket, no ServerResponse) with a problem document, then closes. */
export function writeProblemToSocket(
  socket: Duplex,
  body: Problem,
  headers: Record<string, string> = {},
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const payload = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${body.status} ${reasonPhrase(body.status)}`,
    `content-type: ${CONTENT_TYPE}`,
    `content-length: ${Buffer.byteLength(payload)}`,
    'connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${payload}`);
}
