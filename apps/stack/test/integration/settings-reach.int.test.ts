import { spawn } from 'node:child_process';
import path from 'node:path';
import { redactUrl as redacted } from '@platform/config';
import { backingServices } from '@platform/test-services';
import { generateKeyPair } from '@platform/tokens';
import { SERVICE_TABLE, type ServiceSpec } from '../../src/service-table.js';

/**
 * Every setting of every service reaches that service through the real `pnpm start` (turbo, the
 * launcher, the child's own config schema), in development and with NODE_ENV=production. The keys
 * come from the services themselves: `STACK_CONFIG_CHECK=true pnpm start` has each one parse the
 * environment it would run with and print its settings, so a setting added to any schema without
 * a sample here fails this test, and one that turbo or the launcher drops fails it too.
 */

const ROOT = path.resolve(__dirname, '../../../..');
const backing = backingServices();

function withPath(url: string, pathname: string): string {
  const parsed = new URL(url);
  parsed.pathname = pathname;
  return parsed.toString();
}

// Two signing keys (the second signs) and a retired one that only verifies, of the non-default algorithm.
const [signerA, signerB, retired, realtimeKey] = [1, 2, 3, 4].map(() => generateKeyPair('ES256'));
const kid = (pair: ReturnType<typeof generateKeyPair> | undefined) => pair?.publicJwk.kid;

/** A value for every setting a user may set, each different from its default; secrets are printed redacted. */
type PrintedSample = unknown | ((spec: ServiceSpec) => unknown);
const SAMPLES: Record<string, string | { env: string; printed: PrintedSample }> = {
  ACCESS_TOKEN_TTL_SECONDS: '600',
  AMQP_NAMESPACE: 'settings-check',
  AMQP_URL: `${backing.amqpUrl}?heartbeat=30`,
  AUTH_IDENTIFIER_RATE_LIMIT_PER_MINUTE: '11',
  AUTH_RATE_LIMIT_PER_MINUTE: '31',
  ARGON2_MEMORY_KIB: '20480',
  ARGON2_PARALLELISM: '2',
  ARGON2_TIME_COST: '3',
  BCRYPT_COST: '11',
  BODY_LIMIT: '200kb',
  BOOTSTRAP_ADMIN_EMAIL: 'root@example.com',
  BOOTSTRAP_ADMIN_PASSWORD: { env: 'granite-orbit-lantern-77', printed: '[redacted]' },
  CHAT_ARCHIVE_AFTER_DAYS: '90',
  CHAT_ARCHIVE_BATCH_SIZE: '500',
  CHAT_ARCHIVE_INTERVAL_MINUTES: '30',
  CHAT_MAX_GROUP_MEMBERS: '400',
  CHAT_MAX_TEXT_LENGTH: '3000',
  CHAT_MODERATION_ACTION: 'hold',
  CHAT_TYPING_PER_SECOND: '3',
  DATABASE_DEBUG: 'true',
  DATABASE_POOL_MAX: '7',
  DATABASE_URL: withPath(backing.databaseUrl, '/settings_check'),
  EMAIL_CONCURRENCY: '6',
  EMAIL_SEND_ATTEMPTS: '7',
  EMAIL_VERIFICATION_TTL_SECONDS: '3600',
  GRAPHQL_MAX_COST: '4000',
  GRAPHQL_MAX_DEPTH: '10',
  GRPC_TIMEOUT_MS: '2500',
  GRPC_TLS_CA_FILE: '/etc/platform/grpc/ca.crt',
  GRPC_TLS_CERT_FILE: '/etc/platform/grpc/tls.crt',
  GRPC_TLS_KEY_FILE: '/etc/platform/grpc/tls.key',
  HASH_POOL_SIZE: '5', // the default is at most 3 (libuv's 4 threads less one)
  HASH_QUEUE_LIMIT: '16',
  INVITE_TTL_SECONDS: '7200',
  JWT_AUDIENCE: 'platform-check',
  JWT_ISSUER: 'https://id.example.com',
  JWT_ALGORITHM: 'ES256',
  JWT_PRIVATE_KEYS: {
    env: JSON.stringify({ keys: [signerA?.privateJwk, signerB?.privateJwk] }),
    printed: [kid(signerA), kid(signerB)], // auth only: it is the one service that reads it
  },
  JWT_SIGNING_KEY_ID: kid(signerB) ?? '',
  JWT_PUBLIC_KEYS: {
    env: JSON.stringify({ keys: [retired?.publicJwk] }),
    // Auth gets the extra key as written; every verifier also gets the public halves of auth's keys.
    printed: (spec: ServiceSpec) =>
      spec.signsTokens === true ? [kid(retired)] : [kid(signerA), kid(signerB), kid(retired)],
  },
  // realtime's own service-token key (passed to realtime alone); users trusts its public half.
  SERVICE_TOKEN_KEYS: {
    env: JSON.stringify({ keys: [realtimeKey?.privateJwk] }),
    printed: [kid(realtimeKey)],
  },
  USERS_CACHE_TTL_MS: '2000',
  LOCKOUT_DURATION_SECONDS: '600',
  LOCKOUT_IP_THRESHOLD: '80',
  LOCKOUT_MAX_DURATION_SECONDS: '43200',
  LOCKOUT_THRESHOLD: '6',
  LOCKOUT_WINDOW_SECONDS: '1200',
  LOG_BATCH_MAX_WAIT_MS: '900',
  LOG_BATCH_SIZE: '250',
  LOG_LEVEL: 'warn',
  FFMPEG_PATH: '/usr/local/bin/ffmpeg',
  FFPROBE_PATH: '/usr/local/bin/ffprobe',
  MEDIA_CONCURRENCY: '3',
  MEDIA_FFMPEG_TIMEOUT_MS: '60000',
  MEDIA_MAX_AUDIO_BYTES: '10485760',
  MEDIA_MAX_FILE_BYTES: '20971520',
  MEDIA_MAX_IMAGE_BYTES: '5242880',
  MEDIA_MAX_IMAGE_PIXELS: '40000000',
  MEDIA_MAX_VIDEO_BYTES: '41943040',
  MEDIA_QUOTA_BYTES: '536870912',
  MEDIA_UNATTACHED_TTL_SECONDS: '43200',
  MEDIA_URL_SECRET: { env: 'settings-check-media-url-secret-0123456789', printed: '[redacted]' },
  MEDIA_URL_TTL_SECONDS: '1800',
  S3_ACCESS_KEY_ID: 'media-check',
  S3_BUCKET: 'media-check',
  S3_CREATE_BUCKET: 'true',
  S3_ENDPOINT: 'https://s3.example.com',
  S3_FORCE_PATH_STYLE: 'true',
  S3_REGION: 'eu-central-1',
  S3_SECRET_ACCESS_KEY: { env: 's3-secret', printed: '[redacted]' },
  STORAGE_BACKEND: 's3',
  // Taken from the repository root and made absolute by the launcher, for the media service and its worker.
  STORAGE_DIR: { env: 'var/media-check', printed: path.join(ROOT, 'var/media-check') },
  LOG_PURGE_INTERVAL_MINUTES: '30',
  LOG_RETENTION_DAYS: '30',
  MAIL_FROM: 'Check <check@example.com>',
  MAIL_PRODUCT_NAME: 'Check',
  MAIL_SUPPORT_ADDRESS: 'help@example.com',
  OAUTH_GITHUB_AUTHORIZE_URL: 'https://github.example.com/login/oauth/authorize',
  OAUTH_GITHUB_CLIENT_ID: 'gh-client',
  OAUTH_GITHUB_CLIENT_SECRET: { env: 'gh-secret', printed: '[redacted]' },
  OAUTH_GITHUB_EMAILS_URL: 'https://api.github.example.com/user/emails',
  OAUTH_GITHUB_TOKEN_URL: 'https://github.example.com/login/oauth/access_token',
  OAUTH_GITHUB_USERINFO_URL: 'https://api.github.example.com/user',
  OAUTH_GOOGLE_AUTHORIZE_URL: 'https://accounts.example.com/authorize',
  OAUTH_GOOGLE_CLIENT_ID: 'google-client',
  OAUTH_GOOGLE_CLIENT_SECRET: { env: 'google-secret', printed: '[redacted]' },
  OAUTH_GOOGLE_ISSUER: 'https://accounts.example.com',
  OAUTH_GOOGLE_JWKS_URL: 'https://accounts.example.com/jwks',
  OAUTH_GOOGLE_TOKEN_URL: 'https://accounts.example.com/token',
  OAUTH_GOOGLE_USERINFO_URL: 'https://accounts.example.com/userinfo',
  OAUTH_HTTP_TIMEOUT_MS: '5000',
  OAUTH_OIDC_PROVIDERS: {
    env: '[{"name":"corp","issuer":"https://sso.example.com","clientId":"corp-id","clientSecret":"corp-secret"}]',
    printed: [
      { name: 'corp', issuer: 'https://sso.example.com', clientId: 'corp-id', clientSecret: '[redacted]' },
    ],
  },
  EMAIL_CHANGE_REVERT_TTL_SECONDS: '259200',
  EMAIL_SEAL_KEYS: { env: `m2026:${Buffer.alloc(32, 9).toString('base64')}`, printed: ['kid m2026'] },
  OAUTH_REDIRECT_BASE_URL: 'https://api.example.com',
  OAUTH_RETURN_TO_ORIGINS: {
    env: 'https://a.example.com,https://b.example.com',
    printed: ['https://a.example.com', 'https://b.example.com'],
  },
  OAUTH_STATE_TTL_SECONDS: '300',
  OAUTH_SUCCESS_REDIRECT_URL: 'https://app.example.com/signed-in',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/',
  PASSWORD_HASH_ALGORITHM: 'bcrypt',
  PASSWORD_RESET_TTL_SECONDS: '900',
  PRESENCE_BROADCAST_LIMIT: '500',
  PRESENCE_TTL_SECONDS: '45',
  PUBLIC_WEB_URL: 'https://app.example.com',
  RATE_LIMIT_PER_MINUTE: '120',
  REDIS_PREFIX: 'settings-check:',
  REDIS_URL: withPath(backing.redisUrl, '/3'),
  REFRESH_REUSE_GRACE_SECONDS: '5',
  REFRESH_TOKEN_REMEMBER_TTL_SECONDS: '1296000',
  REFRESH_TOKEN_TTL_SECONDS: '43200',
  REQUIRE_EMAIL_VERIFICATION: 'true',
  SHUTDOWN_GRACE_MS: '8000',
  STEP_UP_MAX_AGE_SECONDS: '240',
  SMTP_CONNECTION_TIMEOUT_MS: '5000',
  SMTP_HOST: 'smtp.example.com',
  SMTP_PASSWORD: { env: 'smtp-secret', printed: '[redacted]' },
  SMTP_PORT: '2525',
  SMTP_REQUIRE_TLS: 'true',
  SMTP_SECURE: 'true',
  SMTP_SOCKET_TIMEOUT_MS: '15000',
  SMTP_USER: 'mailer',
  TOTP_CHALLENGE_TTL_SECONDS: '240',
  TOTP_ENCRYPTION_KEYS: { env: `k2026:${Buffer.alloc(32, 7).toString('base64')}`, printed: ['kid k2026'] },
  TOTP_ISSUER: 'Check',
  TRUSTED_DEVICE_TTL_SECONDS: '604800',
  UNLOCK_LINK_TTL_SECONDS: '7200',
  WS_ALLOWED_ORIGINS: { env: 'https://app.example.com', printed: ['https://app.example.com'] },
  WS_COALESCE_MS: '25',
  WS_IDLE_TIMEOUT_SECONDS: '120',
  WS_MAX_BACKPRESSURE_BYTES: '2097152',
  WS_MAX_PAYLOAD_BYTES: '32768',
  WS_MESSAGES_PER_SECOND: '25',
};

/** Settings the launcher decides per service (README: "set by pnpm start"); a user's value is replaced. */
const OWNED: Record<string, (spec: ServiceSpec) => unknown> = {
  PORT: (spec) => spec.port,
  METRICS_PORT: (spec) => spec.metricsPort,
  GRPC_PORT: (spec) => spec.grpcPort,
  HOST: () => '127.0.0.1',
  TRUST_PROXY_HOPS: () => 1, // only the HTTP services read it: exactly one proxy, the edge, is in front
  // The gateway's backends: the stack's own gRPC ports (grpcUrlsOf in service-table.ts).
  USERS_GRPC_URL: () => 'http://127.0.0.1:50052',
  ADMIN_GRPC_URL: () => 'http://127.0.0.1:50053',
  REALTIME_GRPC_URL: () => 'http://127.0.0.1:50054',
  // Whom a gRPC server trusts with a service identity: realtime's key, from SERVICE_TOKEN_KEYS.
  GRPC_SERVICE_KEYS: () => ({ realtime: [kid(realtimeKey)] }),
};

/**
 * Secrets the launcher makes for each run when they are not set: the default run prints them
 * `[redacted]` too, so only the sample run's value (checked above) says they arrived.
 */
const MADE_PER_RUN = new Set(['MEDIA_URL_SECRET']);

type Printed = Map<string, Record<string, unknown>>;

function sampleEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(SAMPLES).map(([key, s]) => [key, typeof s === 'string' ? s : s.env]),
  );
}

function expectedPrint(key: string, spec: ServiceSpec): unknown {
  const owned = OWNED[key];
  if (owned) return owned(spec);
  const sample = SAMPLES[key];
  if (sample === undefined) return undefined;
  if (typeof sample !== 'string')
    return typeof sample.printed === 'function'
      ? (sample.printed as (s: ServiceSpec) => unknown)(spec)
      : sample.printed;
  if (/^\d+$/.test(sample)) return Number(sample);
  if (sample === 'true' || sample === 'false') return sample === 'true';
  // A URL's password is hidden in the print.
  return key.endsWith('_URL') && sample.includes('@') ? redacted(sample) : sample;
}

/** Runs `STACK_CONFIG_CHECK=true pnpm start` from the root; resolves with its exit code and each service's settings. */
function configCheck(
  env: Record<string, string>,
): Promise<{ code: number | null; printed: Printed; output: string }> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !(key in SAMPLES) && !(key in OWNED) && key !== 'NODE_ENV'),
  );
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['start'], {
      cwd: ROOT,
      env: { ...base, ...env, STACK_CONFIG_CHECK: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const printed: Printed = new Map();
      for (const line of output.split('\n')) {
        const at = line.indexOf('{"service"');
        if (at < 0) continue;
        const row = JSON.parse(line.slice(at)) as { service: string; settings: Record<string, unknown> };
        printed.set(row.service, row.settings);
      }
      resolve({ code, printed, output });
    });
  });
}

describe('settings through `pnpm start`', () => {
  let defaults: Printed;

  beforeAll(async () => {
    const run = await configCheck({ NODE_ENV: 'development' });
    expect(run.code).toBe(0);
    defaults = run.printed;
  }, 240_000);

  it('has every service print its settings', () => {
    expect([...defaults.keys()].sort()).toEqual(SERVICE_TABLE.map((s) => s.name).sort());
  });

  it('has a sample for every setting of every service, or knows the launcher sets it', () => {
    const missing = [...defaults.values()]
      .flatMap((settings) => Object.keys(settings))
      .filter((key) => !(key in SAMPLES) && !(key in OWNED) && key !== 'NODE_ENV');
    expect([...new Set(missing)]).toEqual([]);
  });

  it('has no sample for a setting no service reads (the README would document a dead setting)', () => {
    const read = new Set([...defaults.values()].flatMap((settings) => Object.keys(settings)));
    expect(Object.keys(SAMPLES).filter((key) => !read.has(key))).toEqual([]);
  });

  for (const nodeEnv of ['development', 'production'] as const) {
    it(`delivers every sample to every service that reads it, with NODE_ENV=${nodeEnv}`, async () => {
      const run = await configCheck({ ...sampleEnv(), NODE_ENV: nodeEnv });
      expect({ code: run.code, output: run.code === 0 ? '' : run.output }).toEqual({ code: 0, output: '' });
      const wrong: string[] = [];
      for (const spec of SERVICE_TABLE) {
        const settings = run.printed.get(spec.name) ?? {};
        const before = defaults.get(spec.name) ?? {};
        for (const key of Object.keys(before)) {
          const want = key === 'NODE_ENV' ? nodeEnv : expectedPrint(key, spec);
          const got = settings[key];
          if (JSON.stringify(got) !== JSON.stringify(want))
            wrong.push(`${spec.name} ${key}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
          // A sample equal to the default would prove nothing.
          else if (
            !(key in OWNED) &&
            !MADE_PER_RUN.has(key) &&
            key !== 'NODE_ENV' &&
            JSON.stringify(before[key]) === JSON.stringify(got)
          )
            wrong.push(`${spec.name} ${key}: the sample is the default`);
        }
      }
      expect(wrong).toEqual([]);
    }, 240_000);
  }

  it('refuses NODE_ENV=production without the secrets a production run needs, naming them', async () => {
    const run = await configCheck({ NODE_ENV: 'production' });
    expect(run.code).toBe(78);
    expect(run.output).toMatch(/JWT_PRIVATE_KEYS: is required with NODE_ENV=production/);
  }, 240_000);
});
