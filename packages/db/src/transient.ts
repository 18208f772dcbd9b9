/*
 * Database errors worth waiting out (the server restarting, a failover, the pool exhausted) as opposed
 * to errors that will repeat (a constraint violation, a bad value). Workers hold their messages through
 * the first kind instead of spending retry attempts on an outage.
 */

/** SQLSTATE classes and codes that mean "the server is away or busy", not "this statement is wrong". */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /terminating connection/i,
  /timeout acquiring a connection/i,
  /connection (is )?(closed|ended)/i,
  /server closed the connection/i,
  /the database system is (starting up|shutting down)/i,
];

/** True when retrying the same statement later can succeed. */
export function isTransientDatabaseError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') break;
    const { code, message, cause, name } = current as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      name?: unknown;
    };
    if (
      typeof code === 'string' &&
      (TRANSIENT_NODE_CODES.has(code) || TRANSIENT_SQLSTATES.has(code) || code.startsWith('08'))
    ) {
      return true;
    }
    if (name === 'KnexTimeoutError') return true;
    if (typeof message === 'string' && TRANSIENT_MESSAGES.some((pattern) => pattern.test(message)))
      return true;
    current = cause;
  }
  return false;
}
