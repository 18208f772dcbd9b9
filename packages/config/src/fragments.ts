import { z } from 'zod';
import {
  INSECURE_DEV_MEDIA_URL_SECRET,
  KeyRing,
  MediaUrlSigner,
  parseKeyring,
  parseKeySet,
  SIGNING_ALGORITHMS,
  type TokenKey,
} from '@platform/tokens';
import { secret, shownAs } from './print.js';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Settings every process shares. */
export const baseFragment = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
};

/** An HTTP service: its own port plus a separate metrics port that the edge never exposes. */
export const httpFragment = (defaultPort: number, defaultMetricsPort: number) => ({
  HOST: z.string().default('0.0.0.0'),
  PORT: port(defaultPort),
  METRICS_PORT: port(defaultMetricsPort),
  /** How many reverse-proxy hops in front of us to trust for X-Forwarded-For (edge, Ingress). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i)
    .default('100kb'),
  RATE_LIMIT_PER_MINUTE: positiveInt(100),
});

export const databaseFragment = {
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/platform'),
  DATABASE_POOL_MAX: positiveInt(10),
  DATABASE_DEBUG: bool(false),
};

export const redisFragment = {
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** Key prefix so several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: z.string().default('platform:'),
};

export const amqpFragment = {
  AMQP_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672'),
  /** Prefix for every exchange and queue name, for isolating deployments or test runs. */
  AMQP_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9-]*$/)
    .default(''),
};

const kids = (keys: readonly TokenKey[]) => keys.map((key) => key.kid);

/** A JSON Web Key Set setting, parsed into keys (every problem named); prints as its key ids. */
function keySet(kind: 'public' | 'private') {
  const schema = z.string().transform((json, ctx): TokenKey[] => {
    try {
      return parseKeySet(json, kind);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  });
  return kind === 'private' ? secret(schema, kids) : shownAs(schema, kids);
}

/**
 * Verifying access tokens; every HTTP service and the socket tier need it. Tokens are signed with
 * one pinned asymmetric algorithm; the verifiers hold public keys only (JWT_PUBLIC_KEYS, a JWKS).
 */
export const jwtVerifyFragment = {
  JWT_ALGORITHM: z.enum(SIGNING_ALGORITHMS).default('EdDSA'),
  JWT_PUBLIC_KEYS: keySet('public'),
  /** A URL: `<issuer>/.well-known/openid-configuration` is where third parties find our keys. */
  JWT_ISSUER: z.url({ protocol: /^https?$/ }).default('http://localhost:8080'),
  JWT_AUDIENCE: z.string().min(1).default('platform'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
};

/**
 * Signing access tokens: auth only, the one process that holds private keys. JWT_PUBLIC_KEYS is
 * optional there: it adds keys that verify but no longer sign (their private half is gone).
 */
export const jwtSigningFragment = {
  ...jwtVerifyFragment,
  JWT_PUBLIC_KEYS: keySet('public').optional(),
  JWT_PRIVATE_KEYS: keySet('private'),
  /** The kid that signs; default the first private key. The others are published and verify. */
  JWT_SIGNING_KEY_ID: z.string().min(1).optional(),
};

interface JwtKeySettings {
  JWT_ALGORITHM: (typeof SIGNING_ALGORITHMS)[number];
  JWT_PUBLIC_KEYS?: TokenKey[] | undefined;
  JWT_PRIVATE_KEYS?: TokenKey[] | undefined;
  JWT_SIGNING_KEY_ID?: string | undefined;
}

/** The key ring a process's settings describe. Throws when they do not fit together. */
export function keyRingOf(config: JwtKeySettings): KeyRing {
  return new KeyRing(
    config.JWT_ALGORITHM,
    [...(config.JWT_PRIVATE_KEYS ?? []), ...(config.JWT_PUBLIC_KEYS ?? [])],
    config.JWT_SIGNING_KEY_ID,
  );
}

/** For a schema's `.superRefine`: the keys must fit the pinned algorithm and the signing kid must exist. */
export function checkJwtKeys(config: JwtKeySettings, ctx: z.RefinementCtx): void {
  if (config.JWT_PUBLIC_KEYS === undefined && config.JWT_PRIVATE_KEYS === undefined) return;
  try {
    keyRingOf(config);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      path: ['JWT_PUBLIC_KEYS'],
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Everything an HTTP service of this platform reads (spread into its own z.object). */
export const httpServiceFragment = (defaultPort: number, defaultMetricsPort: number) => ({
  ...baseFragment,
  ...httpFragment(defaultPort, defaultMetricsPort),
  ...databaseFragment,
  ...redisFragment,
  ...amqpFragment,
  ...jwtVerifyFragment,
});

/** Everything an AMQP worker reads: a probe port (/health, /ready), metrics, Postgres and the broker. */
export const workerFragment = (defaultPort: number, defaultMetricsPort: number) => ({
  ...baseFragment,
  HOST: z.string().default('0.0.0.0'),
  PORT: port(defaultPort),
  METRICS_PORT: port(defaultMetricsPort),
  ...databaseFragment,
  ...amqpFragment,
});

/**
 * Step-up: how recently a user must have proved who they are (sign-in, or re-entering a password or
 * code) for a sensitive change such as a new email address, password or second factor.
 */
export const stepUpFragment = {
  STEP_UP_MAX_AGE_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
};

/**
 * AES-256-GCM keys as `kid:base64key,...` (32-byte keys; the first seals, all open, so a new key is
 * rotated in by putting it first). Printed as their kids only. Optional: outside production a
 * marked, insecure dev key stands in; `requiredInProduction` refuses production without one.
 */
export function keyringSetting() {
  return secret(z.string(), (spec) => parseKeyring(spec).map((key) => `kid ${key.kid}`))
    .optional()
    .superRefine((spec, ctx) => {
      if (spec === undefined) return;
      try {
        parseKeyring(spec);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      }
    });
}

/** For a schema's `.superRefine`: these settings must be set when NODE_ENV is production. */
export function requiredInProduction<K extends string>(...keys: K[]) {
  return (config: { NODE_ENV: string } & Partial<Record<K, unknown>>, ctx: z.RefinementCtx): void => {
    if (config.NODE_ENV !== 'production') return;
    for (const key of keys) {
      if (config[key] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message:
            'is required in production (kid:base64 of 32 random bytes, e.g. `openssl rand -base64 32`)',
        });
    }
  };
}

/**
 * Sealing `email.send` commands: the issuers (auth, users, admin) seal each one whole, links with
 * their single-use tokens included, before it reaches the outbox table; only worker-email opens it.
 */
export const emailSealFragment = {
  EMAIL_SEAL_KEYS: keyringSetting(),
};

/** Mailed links: the web app they open, how long an email-verification link works, and their sealing. */
export const mailLinksFragment = {
  PUBLIC_WEB_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:8080'),
  EMAIL_VERIFICATION_TTL_SECONDS: positiveInt(48 * 3600),
  ...emailSealFragment,
};

const pemFile = z.string().min(1).optional();

/**
 * The services allowed to call this one with their own identity, and the public keys their service
 * tokens verify with: `{"realtime":{"keys":[...]}}`. Which methods each may call is the owning
 * service's code (`GrpcRoutes.serviceAccess`), not configuration. Prints as service names and kids.
 */
const serviceKeys = shownAs(
  z
    .string()
    .optional()
    .transform((json, ctx): Map<string, TokenKey[]> => {
      const trusted = new Map<string, TokenKey[]>();
      if (json === undefined || json.trim() === '') return trusted;
      try {
        const parsed: unknown = JSON.parse(json);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new Error('must be a JSON object: {"<service>":{"keys":[...]}}');
        for (const [service, set] of Object.entries(parsed))
          trusted.set(service, parseKeySet(JSON.stringify(set), 'public'));
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
      return trusted;
    }),
  (trusted) => Object.fromEntries([...trusted].map(([service, keys]) => [service, kids(keys)])),
);

/**
 * The key a service signs its own service tokens with (a private JWKS; the first key signs), for
 * calls it makes to another service with its own identity rather than a user's.
 */
export const serviceIdentityFragment = {
  SERVICE_TOKEN_KEYS: keySet('private').optional(),
};

/**
 * For a service that keeps users' answers between requests (realtime: names and standing; the GraphQL
 * gateway: the caller's profile): how long one is reused when no account event says it changed (the
 * events clear it on every instance at once), so this only bounds a change that raised none; 0: ask
 * every time. At most 10 minutes, under MEDIA_URL_TTL_SECONDS's floor, so that a kept answer never
 * holds an avatar URL that has expired.
 */
export const usersCacheFragment = {
  USERS_CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
};

/**
 * A gRPC server beside the HTTP port (internal calls between services, never through the edge).
 * TLS when a certificate and key are given; with a CA as well, callers must present a certificate
 * it signed (mTLS). Plaintext otherwise, as inside a pod network with a mesh doing mTLS.
 */
export const grpcServerFragment = (defaultPort: number) => ({
  GRPC_PORT: port(defaultPort),
  ...grpcTlsFragment,
  GRPC_SERVICE_KEYS: serviceKeys,
});

/** The TLS files a gRPC server serves with, and a gRPC client verifies and presents. */
export const grpcTlsFragment = {
  GRPC_TLS_CERT_FILE: pemFile,
  GRPC_TLS_KEY_FILE: pemFile,
  GRPC_TLS_CA_FILE: pemFile,
};

/** For a schema's `.superRefine`: a TLS certificate and its key come together or not at all. */
export function checkGrpcTls(
  config: { GRPC_TLS_CERT_FILE?: string | undefined; GRPC_TLS_KEY_FILE?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if ((config.GRPC_TLS_CERT_FILE === undefined) !== (config.GRPC_TLS_KEY_FILE === undefined))
    ctx.addIssue({
      code: 'custom',
      path: ['GRPC_TLS_KEY_FILE'],
      message: 'GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE are set together',
    });
}

/**
 * Where media bytes are stored (apps/media and apps/worker-media read the same settings): a folder on
 * the local disk (the default, created on first use) or an S3-compatible bucket.
 */
export const storageFragment = {
  STORAGE_BACKEND: z.enum(['fs', 's3']).default('fs'),
  /** The folder of the `fs` backend; relative paths are taken from the working directory. */
  STORAGE_DIR: z.string().min(1).default('data/media'),
  S3_BUCKET: z.string().min(3).default('platform-media'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** An S3-compatible store's URL (MinIO, Ceph, ...); unset: AWS itself. */
  S3_ENDPOINT: z.url().optional(),
  /** `bucket` in the path rather than the host name; most S3-compatible stores want it. */
  S3_FORCE_PATH_STYLE: bool(false),
  /** Create the bucket when it is missing (dev stores such as MinIO); production buckets are made beforehand. */
  S3_CREATE_BUCKET: bool(false),
  /** Unset: the SDK's default chain (IRSA, instance profile, AWS_* variables). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: secret(z.string().min(1).optional()),
};

/**
 * Signed media URLs (`/media/{id}/content?exp=&sig=`): every service that hands them out (media,
 * users, admin, realtime) and media, which checks them, share one secret. Unset outside production,
 * a public dev secret stands in; `checkMediaUrlSecret` refuses production without a real one.
 */
export const mediaUrlFragment = {
  MEDIA_URL_SECRET: secret(z.string().min(32)).optional(),
  /**
   * How long a handed-out URL works at least; rounded up to a quarter of this, so URLs stay
   * cacheable. At least 15 minutes: realtime's cached history pages (10 minutes) carry URLs too.
   */
  MEDIA_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(900)
    .max(7 * 86400)
    .default(3600),
};

/** For a schema's `.superRefine`: production needs a real MEDIA_URL_SECRET. */
export function checkMediaUrlSecret(
  config: { NODE_ENV: string; MEDIA_URL_SECRET?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (config.NODE_ENV === 'production' && config.MEDIA_URL_SECRET === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['MEDIA_URL_SECRET'],
      message: 'is required in production (32+ random characters, e.g. `openssl rand -base64 32`)',
    });
}

/** The signer a process's settings describe. */
export function mediaUrlSignerOf(config: {
  MEDIA_URL_SECRET?: string | undefined;
  MEDIA_URL_TTL_SECONDS: number;
}): MediaUrlSigner {
  return new MediaUrlSigner(config.MEDIA_URL_SECRET ?? INSECURE_DEV_MEDIA_URL_SECRET, {
    ttlSeconds: config.MEDIA_URL_TTL_SECONDS,
  });
}

export { bool, port, positiveInt };
