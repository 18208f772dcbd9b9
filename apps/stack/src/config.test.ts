import { loadConfig } from '@platform/config';
import { stackConfigSchema } from './config.js';

describe('stackConfigSchema', () => {
  it('defaults the edge to 127.0.0.1:8080 and leaves backing URLs unset', () => {
    const config = loadConfig(stackConfigSchema, {});
    expect(config).toMatchObject({
      EDGE_PORT: 8080,
      EDGE_HOST: '127.0.0.1',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.AMQP_URL).toBeUndefined();
    expect(config.JWT_PRIVATE_KEYS).toBeUndefined();
  });

  it('catches mail in a local sink on 1025 with its inbox on 8025 unless SMTP_HOST is set', () => {
    expect(loadConfig(stackConfigSchema, {})).toMatchObject({
      MAIL_SINK_SMTP_PORT: 1025,
      MAIL_SINK_HTTP_PORT: 8025,
    });
    expect(loadConfig(stackConfigSchema, {}).SMTP_HOST).toBeUndefined();
    expect(loadConfig(stackConfigSchema, { SMTP_HOST: '' }).SMTP_HOST).toBeUndefined();
    expect(loadConfig(stackConfigSchema, { SMTP_HOST: 'smtp.example.com' }).SMTP_HOST).toBe(
      'smtp.example.com',
    );
  });

  it('refuses a mail sink port outside 0-65535', () => {
    expect(() => loadConfig(stackConfigSchema, { MAIL_SINK_HTTP_PORT: '70000' })).toThrow(
      /MAIL_SINK_HTTP_PORT/,
    );
  });

  it('refuses signing keys that are not a private JWK set, and production without keys', () => {
    expect(() => loadConfig(stackConfigSchema, { JWT_PRIVATE_KEYS: 'short' })).toThrow(/JWT_PRIVATE_KEYS/);
    expect(() => loadConfig(stackConfigSchema, { NODE_ENV: 'production' })).toThrow(
      /JWT_PRIVATE_KEYS: is required with NODE_ENV=production/,
    );
  });

  it('takes an edge certificate and key together, or a self-signed one outside production', () => {
    expect(() => loadConfig(stackConfigSchema, { EDGE_TLS_CERT: '/tls/cert.pem' })).toThrow(
      /EDGE_TLS_KEY: set EDGE_TLS_CERT and EDGE_TLS_KEY together/,
    );
    const both = { EDGE_TLS_CERT: '/tls/cert.pem', EDGE_TLS_KEY: '/tls/key.pem' };
    expect(() => loadConfig(stackConfigSchema, { ...both, EDGE_TLS_SELF_SIGNED: 'true' })).toThrow(
      /EDGE_TLS_SELF_SIGNED: cannot be combined with EDGE_TLS_CERT/,
    );
    expect(loadConfig(stackConfigSchema, { EDGE_TLS_SELF_SIGNED: 'true' }).EDGE_TLS_SELF_SIGNED).toBe(true);
    expect(() =>
      loadConfig(stackConfigSchema, { NODE_ENV: 'production', EDGE_TLS_SELF_SIGNED: 'true' }),
    ).toThrow(/EDGE_TLS_SELF_SIGNED: is for development only/);
  });

  it('refuses a bootstrap admin email without a password', () => {
    expect(() => loadConfig(stackConfigSchema, { BOOTSTRAP_ADMIN_EMAIL: 'root@example.com' })).toThrow(
      /BOOTSTRAP_ADMIN_PASSWORD: set BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD together/,
    );
  });

  it('accepts explicit backing URLs and a bootstrap admin', () => {
    const config = loadConfig(stackConfigSchema, {
      DATABASE_URL: 'postgres://u:p@db:5432/platform',
      BOOTSTRAP_ADMIN_EMAIL: 'root@example.com',
      BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery staple',
      EDGE_PORT: '9000',
    });
    expect(config).toMatchObject({ DATABASE_URL: 'postgres://u:p@db:5432/platform', EDGE_PORT: 9000 });
  });
});
