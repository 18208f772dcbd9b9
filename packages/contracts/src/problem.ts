import { STATUS_CODES } from 'node:http';

/**
 * The RFC 9457 problem body every service answers errors with (`application/problem+json`); `code` is
 * the stable machine code clients switch on. One definition for the Koa kit and the socket tier.
 */
export function problemBody(
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
) {
  return {
    type: `urn:platform:problem:${code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
}
