import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { z } from 'zod';

/** Signature algorithms we accept: asymmetric only, so `none` and HS* (key confusion) never pass. */
const ALGORITHMS: Record<string, { hash: string | null; dsaEncoding?: 'ieee-p1363' }> = {
  RS256: { hash: 'sha256' },
  RS384: { hash: 'sha384' },
  RS512: { hash: 'sha512' },
  ES256: { hash: 'sha256', dsaEncoding: 'ieee-p1363' },
  ES384: { hash: 'sha384', dsaEncoding: 'ieee-p1363' },
  EdDSA: { hash: null },
};

/** Allowed clock difference between us and the provider. */
const SKEW_SECONDS = 60;

const header = z.object({ alg: z.string(), kid: z.string().optional() });

export const idTokenClaims = z.object({
  iss: z.string(),
  sub: z.string().min(1).max(255),
  aud: z.union([z.string(), z.array(z.string())]),
  azp: z.string().optional(),
  exp: z.number(),
  iat: z.number().optional(),
  nonce: z.string().optional(),
  email: z.string().optional(),
  // Some providers have sent "true" as a string; anything else counts as unverified.
  email_verified: z.union([z.boolean(), z.string()]).optional(),
  name: z.string().optional(),
});
export type IdTokenClaims = z.infer<typeof idTokenClaims>;

export interface Jwk extends JsonWebKey {
  kid?: string;
  use?: string;
  alg?: string;
}

export class IdTokenError extends Error {}

function decodePart(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

/** The key id a compact JWS names in its header, to pick (or fetch) the key before verifying. */
export function tokenKeyId(token: string): string | undefined {
  const [head = ''] = token.split('.');
  try {
    return header.parse(decodePart(head)).kid;
  } catch {
    return undefined;
  }
}

/**
 * Verifies an OpenID Connect id_token (OIDC Core §3.1.3.7): the signature with the provider's key
 * of that `kid`, then issuer, audience (and `azp` when there are several), expiry and the nonce of
 * this sign-in. Throws `IdTokenError` saying which check failed.
 */
export function verifyIdToken(
  token: string,
  keys: Jwk[],
  expected: { issuer: string; clientId: string; nonce: string; now?: number },
): IdTokenClaims {
  const payload = verifiedPayload(token, keys);
  const claims = idTokenClaims.safeParse(payload);
  if (!claims.success) throw new IdTokenError('missing claims');
  const { iss, aud, azp, exp, iat, nonce } = claims.data;
  const now = expected.now ?? Math.floor(Date.now() / 1000);
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (iss !== expected.issuer) throw new IdTokenError('wrong issuer');
  if (!audiences.includes(expected.clientId)) throw new IdTokenError('wrong audience');
  if (audiences.length > 1 && azp !== expected.clientId) throw new IdTokenError('wrong authorized party');
  if (exp + SKEW_SECONDS < now) throw new IdTokenError('expired');
  if (iat !== undefined && iat - SKEW_SECONDS > now) throw new IdTokenError('issued in the future');
  if (nonce !== expected.nonce) throw new IdTokenError('wrong nonce');
  return claims.data;
}

/** The payload of a compact JWS whose signature one of `keys` verifies (accepted algorithms only). */
function verifiedPayload(token: string, keys: Jwk[]): unknown {
  const parts = token.split('.');
  if (parts.length !== 3) throw new IdTokenError('not a compact JWS');
  const [head = '', body = '', signature = ''] = parts;
  let parsedHeader: z.infer<typeof header>;
  let payload: unknown;
  try {
    parsedHeader = header.parse(decodePart(head));
    payload = decodePart(body);
  } catch {
    throw new IdTokenError('malformed');
  }
  const algorithm = ALGORITHMS[parsedHeader.alg];
  if (!algorithm) throw new IdTokenError(`algorithm ${parsedHeader.alg} is not accepted`);
  const candidates = keys.filter(
    (k) => k.use !== 'enc' && (parsedHeader.kid === undefined || k.kid === parsedHeader.kid),
  );
  const jwk = candidates.length === 1 || parsedHeader.kid ? candidates[0] : undefined;
  if (!jwk) throw new IdTokenError('no matching signing key');
  let valid: boolean;
  try {
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    const data = Buffer.from(`${head}.${body}`, 'ascii');
    const options = algorithm.dsaEncoding ? { key, dsaEncoding: algorithm.dsaEncoding } : key;
    valid = verify(algorithm.hash, data, options, Buffer.from(signature, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) throw new IdTokenError('bad signature');
  return payload;
}

/** OIDC's email_verified, read strictly. */
export function isVerified(value: boolean | string | undefined): boolean {
  return value === true || value === 'true';
}
