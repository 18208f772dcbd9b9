import { availableParallelism } from 'node:os';
import { z } from 'zod';
import {
  checkGrpcTls,
  bool,
  checkJwtKeys,
  grpcServerFragment,
  httpServiceFragment,
  jwtSigningFragment,
  keyringSetting,
  mailLinksFragment,
  positiveInt,
  requiredInProduction,
  stepUpFragment,
  checkMediaUrlSecret,
  mediaUrlFragment,
} from '@platform/config';
import { oidcProvidersSchema } from './services/oauth/provider-config.js';

function libuvThreads(): number {
  const configured = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(configured) && configured > 0 ? configured : 4;
}

const httpUrl = z.url({ protocol: /^https?$/ });
/** Empty counts as unset, so `OAUTH_GITHUB_CLIENT_ID=` in an env file disables the provider. */
const optionalString = z
  .string()
  .optional()
  .transform((v) => v || undefined);

/** Everything the auth service reads from the environment, with defaults. */
export const authConfigSchema = z
  .object({
    ...httpServiceFragment(3001, 9101),
    /** Identity and sessions for the other services (AuthService). */
    ...grpcServerFragment(50051),
    ...jwtSigningFragment,
    ...stepUpFragment,
    /** Avatars uploaded to media are shown as signed URLs. */
    ...mediaUrlFragment,
    /** Refresh-token (session) lifetime without "remember me"; it slides with every refresh. */
    REFRESH_TOKEN_TTL_SECONDS: positiveInt(24 * 3600),
    /** The same with "remember me" ticked at login. */
    REFRESH_TOKEN_REMEMBER_TTL_SECONDS: positiveInt(30 * 24 * 3600),
    /** A rotated refresh token presented again within this window (two tabs) still works. */
    REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(120).default(10),
    /** How new passwords are hashed; hashes of the other algorithm still verify and are upgraded. */
    PASSWORD_HASH_ALGORITHM: z.enum(['argon2id', 'bcrypt']).default('argon2id'),
    /** Argon2id memory in KiB, passes and lanes: OWASP's first recommendation (19 MiB, 2, 1). */
    ARGON2_MEMORY_KIB: z.coerce.number().int().min(64).max(4_194_304).default(19_456),
    ARGON2_TIME_COST: z.coerce.number().int().min(1).max(20).default(2),
    ARGON2_PARALLELISM: z.coerce.number().int().min(1).max(16).default(1),
    BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
    /**
     * Hashes in flight at once. Argon2 and bcrypt run on libuv's thread pool (UV_THREADPOOL_SIZE, default 4,
     * fixed before our code runs), so the default leaves one thread for DNS and file I/O; set it to
     * the CPU limit in containers, where availableParallelism() sees the node's cores.
     */
    HASH_POOL_SIZE: positiveInt(Math.max(1, Math.min(availableParallelism(), libuvThreads() - 1))),
    /** Hashes allowed to wait for a slot; one more is answered 503 overloaded at once. */
    HASH_QUEUE_LIMIT: z.coerce.number().int().min(0).default(32),
    AUTH_RATE_LIMIT_PER_MINUTE: positiveInt(30),
    AUTH_IDENTIFIER_RATE_LIMIT_PER_MINUTE: positiveInt(10),
    /** The web app that mailed links open (`/verify-email?token=...`, `/reset-password?token=...`). */
    ...mailLinksFragment,
    /** Refuse sign-in (403 email_not_verified) until the address is verified. */
    REQUIRE_EMAIL_VERIFICATION: bool(false),
    PASSWORD_RESET_TTL_SECONDS: positiveInt(30 * 60),
    /** Sign-in attempts per identifier (normalised email) in the window before it locks. */
    LOCKOUT_THRESHOLD: positiveInt(5),
    LOCKOUT_WINDOW_SECONDS: positiveInt(15 * 60),
    /** First lock; each further lock within a day doubles it, up to LOCKOUT_MAX_DURATION_SECONDS. */
    LOCKOUT_DURATION_SECONDS: positiveInt(15 * 60),
    LOCKOUT_MAX_DURATION_SECONDS: positiveInt(24 * 3600),
    /** Sign-in attempts per client IP across identifiers (one office behind a NAT). */
    LOCKOUT_IP_THRESHOLD: positiveInt(100),
    /**
     * A trusted device (one that completed a sign-in, or opened a mailed unlock link) left unused this
     * long is forgotten; it signs in despite the identifier's lock, on a budget of its own.
     */
    TRUSTED_DEVICE_TTL_SECONDS: positiveInt(30 * 24 * 3600),
    /** How long the unlock link in the lockout mail works (once). */
    UNLOCK_LINK_TTL_SECONDS: positiveInt(24 * 3600),
    /** Shown by authenticator apps above the account name. */
    TOTP_ISSUER: z.string().min(1).max(64).default('Platform'),
    /**
     * Keys sealing TOTP secrets at rest (AES-256-GCM): `kid:base64key,...`, 32-byte keys; the first
     * seals, all open (rotation). Required in production; elsewhere a marked, insecure dev key is used.
     */
    TOTP_ENCRYPTION_KEYS: keyringSetting(),
    /** How long the challenge of a password step stays good for POST /login/2fa. */
    TOTP_CHALLENGE_TTL_SECONDS: positiveInt(5 * 60),
    /** The public base URL of this API (the edge): callbacks are `<base>/oauth/<provider>/callback`. */
    OAUTH_REDIRECT_BASE_URL: httpUrl.default('http://localhost:8080'),
    /** Where the browser lands after an OAuth sign-in, tokens in the fragment; default the web app's `<PUBLIC_WEB_URL>/sign-in/oauth`. */
    OAUTH_SUCCESS_REDIRECT_URL: httpUrl.optional(),
    /** Origins besides PUBLIC_WEB_URL's that a `returnTo` of /oauth/:provider/start may name (comma list). */
    OAUTH_RETURN_TO_ORIGINS: z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(httpUrl)),
    /** How long a started OAuth sign-in may take (the state's life in Redis and its cookie). */
    OAUTH_STATE_TTL_SECONDS: positiveInt(10 * 60),
    /** Bound on every call to a provider (token, userinfo, discovery, JWKS). */
    OAUTH_HTTP_TIMEOUT_MS: positiveInt(10_000),
    /** GitHub: disabled without a client id; endpoints overridable (GitHub Enterprise, tests). */
    OAUTH_GITHUB_CLIENT_ID: optionalString,
    OAUTH_GITHUB_CLIENT_SECRET: optionalString,
    OAUTH_GITHUB_AUTHORIZE_URL: httpUrl.default('https://github.com/login/oauth/authorize'),
    OAUTH_GITHUB_TOKEN_URL: httpUrl.default('https://github.com/login/oauth/access_token'),
    OAUTH_GITHUB_USERINFO_URL: httpUrl.default('https://api.github.com/user'),
    OAUTH_GITHUB_EMAILS_URL: httpUrl.default('https://api.github.com/user/emails'),
    /** Google (OpenID Connect, endpoints by discovery from the issuer unless overridden). */
    OAUTH_GOOGLE_CLIENT_ID: optionalString,
    OAUTH_GOOGLE_CLIENT_SECRET: optionalString,
    OAUTH_GOOGLE_ISSUER: httpUrl.default('https://accounts.google.com'),
    OAUTH_GOOGLE_AUTHORIZE_URL: httpUrl.optional(),
    OAUTH_GOOGLE_TOKEN_URL: httpUrl.optional(),
    OAUTH_GOOGLE_USERINFO_URL: httpUrl.optional(),
    OAUTH_GOOGLE_JWKS_URL: httpUrl.optional(),
    /**
     * Generic OpenID Connect providers, a JSON array of
     * `{ name, issuer, clientId, clientSecret?, scope?, tokenEndpointAuthMethod?, authorizeUrl?, tokenUrl?, userinfoUrl?, jwksUrl? }`.
     */
    OAUTH_OIDC_PROVIDERS: oidcProvidersSchema.default([]),
    BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
    BOOTSTRAP_ADMIN_PASSWORD: z.string().optional(),
  })
  .refine((c) => !c.BOOTSTRAP_ADMIN_EMAIL === !c.BOOTSTRAP_ADMIN_PASSWORD, {
    message: 'set both BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD, or neither',
    path: ['BOOTSTRAP_ADMIN_PASSWORD'],
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.BCRYPT_COST >= 10, {
    message: 'must be at least 10 in production',
    path: ['BCRYPT_COST'],
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.ARGON2_MEMORY_KIB >= 19_456, {
    message: "must be at least 19456 (OWASP's floor, 19 MiB) in production",
    path: ['ARGON2_MEMORY_KIB'],
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.ARGON2_TIME_COST >= 2, {
    message: "must be at least 2 (OWASP's floor at 19 MiB) in production",
    path: ['ARGON2_TIME_COST'],
  })
  .superRefine(requiredInProduction('TOTP_ENCRYPTION_KEYS', 'EMAIL_SEAL_KEYS'))
  .superRefine(checkJwtKeys)
  .superRefine(checkMediaUrlSecret)
  .superRefine(checkGrpcTls);

export type AuthConfig = z.infer<typeof authConfigSchema>;
