import { sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import type { SigningAlgorithm, TokenKey } from './keys.js';

/** Far above any token we issue (~600 bytes); anything longer is refused before it is decoded. */
const MAX_TOKEN_LENGTH = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The JWS `typ` of a service token: no verifier of user tokens accepts it, and the reverse. */
export const SERVICE_TOKEN_TYPE = 'service+jwt';

/** A compact JWS that failed a structural or signature check (callers map it to their own error). */
export class JwsError extends Error {}

function digestOf(alg: SigningAlgorithm): string | null {
  // Ed25519 hashes internally (no digest argument); ES256 is ECDSA over SHA-256.
  return alg === 'EdDSA' ? null : 'sha256';
}

function decodeJson(part: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new JwsError('not an object');
  return value as Record<string, unknown>;
}

/** Signs `claims` as a compact JWS (RFC 7515) with `key`'s algorithm, `kid` and `typ` in the header. */
export function signCompact(key: TokenKey, typ: string, claims: Record<string, unknown>): string {
  if (!key.privateKey) throw new Error(`key ${key.kid} has no private half to sign with`);
  const header = { alg: key.alg, typ, kid: key.kid };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = cryptoSign(digestOf(key.alg), Buffer.from(input), {
    key: key.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}

/** The decoded header of a well-formed compact JWS, unverified (to choose a verifier, never to trust). */
export function peekHeader(token: string): Record<string, unknown> | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
  const headerPart = token.split('.')[0] ?? '';
  if (!BASE64URL.test(headerPart)) return undefined;
  try {
    return decodeJson(headerPart);
  } catch {
    return undefined;
  }
}

/**
 * Verifies a compact JWS and returns its payload. `keyFor` sees the decoded header and payload and
 * returns the one key that may have signed it (it pins the algorithm and refuses `crit`), or throws;
 * a key is never taken from the token itself (`jwk`, `jku`, `x5u`, `x5c` are never read).
 */
export function verifyCompact(
  token: string,
  keyFor: (header: Record<string, unknown>, payload: Record<string, unknown>) => TokenKey,
): Record<string, unknown> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw new JwsError('too long');
  const parts = token.split('.');
  const [headerPart, payloadPart, signaturePart] = parts;
  if (parts.length !== 3 || !headerPart || !payloadPart || !signaturePart) throw new JwsError('malformed');
  if (![headerPart, payloadPart, signaturePart].every((part) => BASE64URL.test(part)))
    throw new JwsError('malformed');
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = decodeJson(headerPart);
    payload = decodeJson(payloadPart);
  } catch {
    throw new JwsError('malformed');
  }
  const key = keyFor(header, payload);
  if (header.alg !== key.alg || 'crit' in header) throw new JwsError('header');
  const valid = cryptoVerify(
    digestOf(key.alg),
    Buffer.from(`${headerPart}.${payloadPart}`),
    { key: key.publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!valid) throw new JwsError('signature');
  return payload;
}
