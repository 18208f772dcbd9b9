import { ERROR_CATALOGUE, statusOf, type HttpErrorCode } from './errors.js';

/**
 * The RFC 9457 problem body every service answers errors with (`application/problem+json`); `code` is
 * the stable machine code clients switch on, and the catalogue gives its status and title, so one code
 * reads the same from every service. One definition for the Koa kit, the socket tier and the edge.
 */
export function problemBody(code: HttpErrorCode, detail: string, extra: Record<string, unknown> = {}) {
  return {
    type: `urn:platform:problem:${code}`,
    title: ERROR_CATALOGUE[code].title,
    status: statusOf(code),
    detail,
    code,
    ...extra,
  };
}
