import { z } from 'zod';
import {
  baseFragment,
  bool,
  jwtSigningFragment,
  mediaUrlFragment,
  port,
  positiveInt,
} from '@platform/config';

/**
 * What the launcher reads from the environment. The backing-service URLs carry no default here:
 * "unset" has to stay visible so the launcher can look for local servers or start containers.
 */
export const stackConfigSchema = z
  .object({
    NODE_ENV: baseFragment.NODE_ENV,
    LOG_LEVEL: baseFragment.LOG_LEVEL,
    SHUTDOWN_GRACE_MS: baseFragment.SHUTDOWN_GRACE_MS,
    EDGE_PORT: port(8080),
    EDGE_HOST: z.string().min(1).default('127.0.0.1'),
    /** A PEM certificate (chain) file: with EDGE_TLS_KEY, the edge serves HTTPS and `wss://`. */
    EDGE_TLS_CERT: z.string().min(1).optional(),
    /** The PEM private key file of EDGE_TLS_CERT. */
    EDGE_TLS_KEY: z.string().min(1).optional(),
    /** HTTPS with a certificate made for this run (localhost, 127.0.0.1, ::1 and EDGE_HOST); not for production. */
    EDGE_TLS_SELF_SIGNED: bool(false),
    DATABASE_URL: z.url().optional(),
    REDIS_URL: z.url().optional(),
    AMQP_URL: z.url().optional(),
    /** The algorithm of a generated key (and the one every service pins). */
    JWT_ALGORITHM: jwtSigningFragment.JWT_ALGORITHM,
    /** Auth's signing keys; unset, a throwaway key is made for the run (refused in production). */
    JWT_PRIVATE_KEYS: jwtSigningFragment.JWT_PRIVATE_KEYS.optional(),
    /** Keys that verify but no longer sign; the verifiers get these plus the private keys' public halves. */
    JWT_PUBLIC_KEYS: jwtSigningFragment.JWT_PUBLIC_KEYS,
    /** Unset: the edge's own URL, so `<issuer>/.well-known/openid-configuration` answers. */
    JWT_ISSUER: jwtSigningFragment.JWT_ISSUER.unwrap().optional(),
    /** The secret media URLs are signed with; unset, one is made for the run (refused in production). */
    MEDIA_URL_SECRET: mediaUrlFragment.MEDIA_URL_SECRET,
    BOOTSTRAP_ADMIN_EMAIL: z.string().min(3).optional(),
    BOOTSTRAP_ADMIN_PASSWORD: z.string().min(1).optional(),
    /** Where the built apps live; only for trying the launcher against other builds. Default: this repo's apps/. */
    STACK_APPS_DIR: z.string().min(1).optional(),
    /** The built web app the edge serves at every path the API does not claim. Default: apps/web/dist. */
    WEB_APP_DIR: z.string().min(1).optional(),
    /** How long every service gets to answer GET /ready with 200 before the launcher gives up. */
    STACK_READY_TIMEOUT_MS: positiveInt(60_000),
    /**
     * A real SMTP server for the services that send mail. Set, it is used with the rest of the user's
     * SMTP_* (passed through untouched) and no sink starts; unset, mail goes to the local sink.
     */
    SMTP_HOST: z.string().min(1).optional(),
    /**
     * Print what every service would run with (its own schema's view of the environment this run
     * gives it, secrets redacted) and exit: 0 when all accept their settings, 78 when one refuses.
     */
    STACK_CONFIG_CHECK: bool(false),
    /** The local SMTP sink that catches the run's mail (1025 and 8025, as MailHog and Mailpit use). */
    MAIL_SINK_SMTP_PORT: port(1025),
    /** Its inbox page, where the caught mail can be read. */
    MAIL_SINK_HTTP_PORT: port(8025),
  })
  .refine((c) => (c.BOOTSTRAP_ADMIN_EMAIL === undefined) === (c.BOOTSTRAP_ADMIN_PASSWORD === undefined), {
    message: 'set BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD together, or neither',
    path: ['BOOTSTRAP_ADMIN_PASSWORD'],
  })
  .refine((c) => (c.EDGE_TLS_CERT === undefined) === (c.EDGE_TLS_KEY === undefined), {
    message: 'set EDGE_TLS_CERT and EDGE_TLS_KEY together, or neither',
    path: ['EDGE_TLS_KEY'],
  })
  .refine((c) => !(c.EDGE_TLS_SELF_SIGNED && c.EDGE_TLS_CERT !== undefined), {
    message: 'cannot be combined with EDGE_TLS_CERT: the edge uses either your certificate or one it makes',
    path: ['EDGE_TLS_SELF_SIGNED'],
  })
  // Nobody's browser trusts a certificate made for one run; production needs a real one.
  .refine((c) => c.NODE_ENV !== 'production' || !c.EDGE_TLS_SELF_SIGNED, {
    message: 'is for development only; with NODE_ENV=production give EDGE_TLS_CERT and EDGE_TLS_KEY',
    path: ['EDGE_TLS_SELF_SIGNED'],
  })
  // A made-up key dies with the run: every token would stop working at each restart.
  .refine((c) => c.NODE_ENV !== 'production' || c.JWT_PRIVATE_KEYS !== undefined, {
    message:
      'is required with NODE_ENV=production (a generated key would die with the run; make one with ' +
      '`node packages/tokens/dist/keygen-cli.js`)',
    path: ['JWT_PRIVATE_KEYS'],
  })
  // A made-up secret dies with the run: every image URL handed out would break at each restart.
  .refine((c) => c.NODE_ENV !== 'production' || c.MEDIA_URL_SECRET !== undefined, {
    message: 'is required with NODE_ENV=production (32+ random characters, e.g. `openssl rand -base64 32`)',
    path: ['MEDIA_URL_SECRET'],
  });

export type StackConfig = z.infer<typeof stackConfigSchema>;
