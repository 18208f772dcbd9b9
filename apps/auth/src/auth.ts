import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ServiceResources } from '@platform/runtime';
import { createApp } from './app.js';
import type { AuthConfig } from './config.js';
import { BoundedPool, type PoolMetrics } from './services/bounded-pool.js';
import { createServices } from './services/index.js';
import { PasswordHasher, type PasswordHashing } from './services/password-hasher.js';

/** The hashing pool's gauges and counters (alerted on in infra/k8s). */
export function hashPoolMetrics(registry: Registry): PoolMetrics {
  const registers = [registry];
  return {
    inFlight: new Gauge({ name: 'auth_hash_pool_in_flight', help: 'Password hashes running now', registers }),
    queueDepth: new Gauge({
      name: 'auth_hash_pool_queue_depth',
      help: 'Password hashes waiting for a slot',
      registers,
    }),
    rejected: new Counter({
      name: 'auth_hash_pool_rejected_total',
      help: 'Hashes refused with 503 overloaded',
      registers,
    }),
    duration: new Histogram({
      name: 'auth_hash_duration_seconds',
      help: 'Time of one password hash or compare (Argon2id or bcrypt)',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1],
      registers,
    }),
  };
}

/** The algorithm and work factors that new password hashes get, from the config. */
export function passwordHashing(config: AuthConfig): PasswordHashing {
  if (config.PASSWORD_HASH_ALGORITHM === 'bcrypt') return { algorithm: 'bcrypt', cost: config.BCRYPT_COST };
  return {
    algorithm: 'argon2id',
    memoryKiB: config.ARGON2_MEMORY_KIB,
    timeCost: config.ARGON2_TIME_COST,
    parallelism: config.ARGON2_PARALLELISM,
  };
}

/** Builds the auth app from opened resources; shared by main and the integration tests. */
export function buildAuth(config: AuthConfig, resources: ServiceResources) {
  const pool = new BoundedPool({
    concurrency: config.HASH_POOL_SIZE,
    queueLimit: config.HASH_QUEUE_LIMIT,
    metrics: hashPoolMetrics(resources.registry),
  });
  const hasher = new PasswordHasher(pool, passwordHashing(config));
  if (!config.TOTP_ENCRYPTION_KEYS)
    resources.log.warn('TOTP_ENCRYPTION_KEYS is unset: TOTP secrets are sealed with an INSECURE dev key');
  return { app: createApp({ ...resources, config, hasher }), hasher };
}

/** Builds the app and creates the bootstrap admin when configured; shared by main and the tests. */
export async function startAuth(config: AuthConfig, resources: ServiceResources) {
  const { app, hasher } = buildAuth(config, resources);
  if (config.BOOTSTRAP_ADMIN_EMAIL && config.BOOTSTRAP_ADMIN_PASSWORD) {
    const { accounts } = createServices({ ...resources, config, hasher }, resources.orm.em.fork());
    const outcome = await accounts.ensureBootstrapAdmin(
      config.BOOTSTRAP_ADMIN_EMAIL,
      config.BOOTSTRAP_ADMIN_PASSWORD,
    );
    resources.log.info({ outcome }, 'bootstrap admin');
  }
  return app;
}
