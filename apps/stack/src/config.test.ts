import { loadConfig } from '@platform/config';
import { chooseJwtSecret, stackConfigSchema } from './config.js';

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
    expect(config.JWT_SECRET).toBeUndefined();
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

  it('refuses a JWT secret shorter than 32 characters', () => {
    expect(() => loadConfig(stackConfigSchema, { JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
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

describe('chooseJwtSecret', () => {
  it('uses the configured secret as is', () => {
    expect(chooseJwtSecret('x'.repeat(40))).toEqual({ secret: 'x'.repeat(40), generated: false });
  });

  it('generates a random secret of 48 bytes when none is configured', () => {
    const first = chooseJwtSecret(undefined);
    const second = chooseJwtSecret(undefined);
    expect(first.generated).toBe(true);
    expect(Buffer.from(first.secret, 'base64url')).toHaveLength(48);
    expect(first.secret).not.toBe(second.secret);
  });
});
