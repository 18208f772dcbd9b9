import { randomBytes } from 'node:crypto';
import { generateKeyPair, parseKeySet, type TokenKey } from '@platform/tokens';
import type { StackConfig } from './config.js';

/** What the launcher hands out for access tokens: the private set to auth, the public set to the rest. */
export interface SigningKeys {
  /** JWT_PRIVATE_KEYS for auth (the configured value, or a throwaway key). */
  privateKeys: string;
  /** JWT_PUBLIC_KEYS for every verifier: the public halves of the private keys plus any extra public ones. */
  publicKeys: string;
  /** True when no JWT_PRIVATE_KEYS was configured and a key was made for this run. */
  generated: boolean;
  /**
   * Service identities for this run (docs/architecture.md §10): SERVICE_TOKEN_KEYS for realtime, and
   * GRPC_SERVICE_KEYS (realtime's public key) for the gRPC servers it may call. Optional, so a caller
   * that only needs the access-token keys can leave it out.
   */
  service?: { realtimeKeys: string; trusted: string };
}

/**
 * The key realtime signs its service tokens with: SERVICE_TOKEN_KEYS from the launcher's environment
 * (passed to realtime untouched), else a key pair made for this run (services restart together, so
 * nothing outlives it). users trusts the public halves (GRPC_SERVICE_KEYS).
 */
export function serviceIdentityKeys(
  alg: StackConfig['JWT_ALGORITHM'],
  rawPrivate: string | undefined,
): NonNullable<SigningKeys['service']> {
  if (rawPrivate !== undefined && rawPrivate.trim() !== '') {
    const publicJwks = parseKeySet(rawPrivate, 'private').map((key) => key.publicJwk);
    return { realtimeKeys: rawPrivate, trusted: JSON.stringify({ realtime: { keys: publicJwks } }) };
  }
  const { privateJwk, publicJwk } = generateKeyPair(alg);
  return {
    realtimeKeys: JSON.stringify({ keys: [privateJwk] }),
    trusted: JSON.stringify({ realtime: { keys: [publicJwk] } }),
  };
}

type KeySettings = Pick<StackConfig, 'JWT_ALGORITHM' | 'JWT_PRIVATE_KEYS' | 'JWT_PUBLIC_KEYS'>;

/**
 * The configured keys, or a new key pair of the pinned algorithm when none is configured (tokens
 * then die with the run; production refuses that in the config). `rawPrivate` is the configured
 * JWT_PRIVATE_KEYS text, passed to auth untouched.
 */
export function chooseSigningKeys(config: KeySettings, rawPrivate: string | undefined): SigningKeys {
  const extra = (config.JWT_PUBLIC_KEYS ?? []).map((key: TokenKey) => key.publicJwk);
  if (config.JWT_PRIVATE_KEYS !== undefined && rawPrivate !== undefined) {
    const own = config.JWT_PRIVATE_KEYS.map((key) => key.publicJwk);
    const publicJwks = [...own, ...extra.filter((jwk) => !own.some((o) => o.kid === jwk.kid))];
    return { privateKeys: rawPrivate, publicKeys: JSON.stringify({ keys: publicJwks }), generated: false };
  }
  const { privateJwk, publicJwk } = generateKeyPair(config.JWT_ALGORITHM);
  return {
    privateKeys: JSON.stringify({ keys: [privateJwk] }),
    publicKeys: JSON.stringify({ keys: [publicJwk, ...extra] }),
    generated: true,
  };
}

type IssuerSettings = Pick<
  StackConfig,
  'JWT_ISSUER' | 'EDGE_HOST' | 'EDGE_PORT' | 'EDGE_TLS_CERT' | 'EDGE_TLS_SELF_SIGNED'
>;

/** JWT_ISSUER as configured, else the edge's own URL (where the discovery document then answers). */
export function tokenIssuer(config: IssuerSettings): string {
  if (config.JWT_ISSUER !== undefined) return config.JWT_ISSUER;
  const host = config.EDGE_HOST === '0.0.0.0' ? '127.0.0.1' : config.EDGE_HOST;
  const scheme = config.EDGE_TLS_CERT !== undefined || config.EDGE_TLS_SELF_SIGNED ? 'https' : 'http';
  return `${scheme}://${host}:${config.EDGE_PORT}`;
}

/**
 * MEDIA_URL_SECRET for the services that sign media URLs: the configured one, or one made for this
 * run (URLs handed out then stop working at a restart; production refuses that in the config).
 */
export function chooseMediaUrlSecret(config: Pick<StackConfig, 'MEDIA_URL_SECRET'>): {
  secret: string;
  generated: boolean;
} {
  if (config.MEDIA_URL_SECRET !== undefined) return { secret: config.MEDIA_URL_SECRET, generated: false };
  return { secret: randomBytes(32).toString('base64url'), generated: true };
}
