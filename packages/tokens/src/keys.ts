import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

/** The asymmetric algorithms access tokens may be signed with; a deployment pins exactly one. */
export const SIGNING_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** A public key as the JWKS document publishes it (RFC 7517), with its id and algorithm. */
export interface PublicJwk {
  kty: 'OKP' | 'EC';
  crv: 'Ed25519' | 'P-256';
  x: string;
  y?: string;
  kid: string;
  alg: SigningAlgorithm;
  use: 'sig';
}

/** One key of a key set: always its public half, the private half only where tokens are signed. */
export interface TokenKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly publicKey: KeyObject;
  readonly publicJwk: PublicJwk;
  readonly privateKey?: KeyObject;
}

const KID = /^[A-Za-z0-9_-]{1,64}$/;

function algorithmOf(jwk: Record<string, unknown>): SigningAlgorithm | undefined {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  return undefined;
}

/** RFC 7638 thumbprint of a public key: a stable kid that names the key itself. */
export function thumbprint(jwk: { kty: string; crv: string; x: string; y?: string }): string {
  // Required members only, in lexicographic order, no whitespace (RFC 7638 §3.2).
  const members =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

function parseKey(entry: unknown, index: number, kind: 'public' | 'private'): TokenKey {
  const where = `key ${index + 1}`;
  if (typeof entry !== 'object' || entry === null) throw new Error(`${where}: not a JSON object`);
  const jwk = entry as Record<string, unknown>;
  const alg = algorithmOf(jwk);
  if (alg === undefined) throw new Error(`${where}: only Ed25519 (OKP) and P-256 (EC) keys are accepted`);
  if (typeof jwk.kid !== 'string' || !KID.test(jwk.kid))
    throw new Error(`${where}: needs a kid of 1-64 characters [A-Za-z0-9_-]`);
  if (jwk.alg !== undefined && jwk.alg !== alg)
    throw new Error(`${where} (${jwk.kid}): alg ${String(jwk.alg)} does not fit a ${String(jwk.crv)} key`);
  const hasPrivate = typeof jwk.d === 'string';
  if (kind === 'private' && !hasPrivate) throw new Error(`${where} (${jwk.kid}): a private key needs "d"`);
  // A private key in a public set would be published by the JWKS route: refuse it outright.
  if (kind === 'public' && hasPrivate)
    throw new Error(`${where} (${jwk.kid}): a public key set must not hold "d"`);
  let privateKey: KeyObject | undefined;
  let publicKey: KeyObject;
  try {
    const material = { ...jwk } as Record<string, unknown>;
    delete material.kid;
    delete material.alg;
    delete material.use;
    delete material.key_ops;
    privateKey = hasPrivate ? createPrivateKey({ key: material as never, format: 'jwk' }) : undefined;
    publicKey = privateKey
      ? createPublicKey(privateKey)
      : createPublicKey({ key: material as never, format: 'jwk' });
  } catch {
    throw new Error(`${where} (${jwk.kid}): not a valid ${alg === 'EdDSA' ? 'Ed25519' : 'P-256'} key`);
  }
  const exported = publicKey.export({ format: 'jwk' }) as {
    kty: 'OKP' | 'EC';
    crv: 'Ed25519' | 'P-256';
    x: string;
    y?: string;
  };
  const publicJwk: PublicJwk = { ...exported, kid: jwk.kid, alg, use: 'sig' };
  return privateKey
    ? { kid: jwk.kid, alg, publicKey, publicJwk, privateKey }
    : { kid: jwk.kid, alg, publicKey, publicJwk };
}

/**
 * Parses a JSON Web Key Set (`{"keys":[...]}`, or a bare array): Ed25519 or P-256 keys, each with a
 * unique kid; `private` sets must carry the private half of every key, `public` sets must not.
 * Throws one message naming every problem.
 */
export function parseKeySet(json: string, kind: 'public' | 'private'): TokenKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('must be a JSON Web Key Set: {"keys":[...]}');
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list) || list.length === 0)
    throw new Error('must be a JSON Web Key Set with at least one key');
  const problems: string[] = [];
  const keys: TokenKey[] = [];
  list.forEach((entry, index) => {
    try {
      const key = parseKey(entry, index, kind);
      if (keys.some((k) => k.kid === key.kid))
        problems.push(`key ${index + 1}: kid ${key.kid} appears twice`);
      else keys.push(key);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  });
  if (problems.length > 0) throw new Error(problems.join('; '));
  return keys;
}

/** A new key pair as JWKs, its kid the RFC 7638 thumbprint. */
export function generateKeyPair(alg: SigningAlgorithm): {
  privateJwk: Record<string, string>;
  publicJwk: PublicJwk;
} {
  const { privateKey, publicKey } =
    alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pub = publicKey.export({ format: 'jwk' }) as {
    kty: 'OKP' | 'EC';
    crv: 'Ed25519' | 'P-256';
    x: string;
    y?: string;
  };
  const kid = thumbprint(pub);
  const priv = privateKey.export({ format: 'jwk' }) as Record<string, string>;
  return { privateJwk: { ...priv, kid, alg }, publicJwk: { ...pub, kid, alg, use: 'sig' } };
}

/**
 * The keys one process knows. Every key verifies; the signing key (auth only) signs. A key can be
 * published and trusted before it signs, and keep verifying after it stopped: that is how keys
 * rotate without a moment where a valid token is refused (see docs/architecture.md, tokens).
 */
export class KeyRing {
  private readonly byKid = new Map<string, TokenKey>();
  readonly signingKey: TokenKey | undefined;

  constructor(
    readonly algorithm: SigningAlgorithm,
    keys: readonly TokenKey[],
    signingKid?: string,
  ) {
    for (const key of keys) {
      if (key.alg !== algorithm)
        throw new Error(`key ${key.kid} is for ${key.alg}, but the pinned algorithm is ${algorithm}`);
      // The same kid twice (a private key and its public half in the extra set) is one key.
      if (!this.byKid.has(key.kid) || key.privateKey) this.byKid.set(key.kid, key);
    }
    if (this.byKid.size === 0) throw new Error('no key to verify tokens with');
    const signers = [...this.byKid.values()].filter((key) => key.privateKey);
    if (signingKid !== undefined) {
      this.signingKey = signers.find((key) => key.kid === signingKid);
      if (!this.signingKey) throw new Error(`the signing key ${signingKid} is not among the private keys`);
    } else {
      this.signingKey = signers[0];
    }
  }

  /** The key a token names, if this ring trusts it. */
  get(kid: string): TokenKey | undefined {
    return this.byKid.get(kid);
  }

  /** The public JWKS document (`GET /.well-known/jwks.json`): every key that verifies, never a private half. */
  jwks(): { keys: PublicJwk[] } {
    return { keys: [...this.byKid.values()].map((key) => key.publicJwk) };
  }
}
