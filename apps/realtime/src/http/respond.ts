import type { HttpResponse } from 'uWebSockets.js';
import {
  problemBody,
  reasonPhrase,
  securityHeaders,
  statusOf,
  type HttpErrorCode,
} from '@platform/contracts';

/**
 * Writing to a uWS response after the client went away crashes the process, and once a handler has
 * awaited anything it must register `onAborted` and cork its writes. Every async route goes through
 * `track` and these writers, so that discipline lives in one place.
 */
export class Tracked {
  aborted = false;
  done = false;

  constructor(readonly res: HttpResponse) {
    res.onAborted(() => {
      this.aborted = true;
    });
  }
}

/** Marks the response as async: registers the abort handler. Call before the first await. */
export function track(res: HttpResponse): Tracked {
  return new Tracked(res);
}

const SECURITY_HEADERS = Object.entries(securityHeaders());

function statusLine(status: number): string {
  return `${status} ${reasonPhrase(status)}`;
}

/** Writes a whole response once; a no-op after an abort or a previous write. */
export function write(
  target: Tracked | HttpResponse,
  status: number,
  body: string | null,
  headers: Record<string, string> = {},
): void {
  const res = target instanceof Tracked ? target.res : target;
  if (target instanceof Tracked) {
    if (target.aborted || target.done) return;
    target.done = true;
  }
  res.cork(() => {
    res.writeStatus(statusLine(status));
    for (const [name, value] of SECURITY_HEADERS) res.writeHeader(name, value);
    for (const [name, value] of Object.entries(headers)) res.writeHeader(name, value);
    if (body === null) res.endWithoutBody(0);
    else res.end(body);
  });
}

export function writeJson(target: Tracked | HttpResponse, status: number, body: unknown): void {
  write(target, status, JSON.stringify(body), { 'content-type': 'application/json' });
}

export function writeProblem(
  target: Tracked | HttpResponse,
  code: HttpErrorCode,
  detail: string,
  extra: { headers?: Record<string, string>; body?: Record<string, unknown> } = {},
): void {
  write(target, statusOf(code), JSON.stringify(problemBody(code, detail, extra.body)), {
    'content-type': 'application/problem+json',
    ...extra.headers,
  });
}
