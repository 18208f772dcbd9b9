import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@platform/config';
import { signingKeyEnv } from '@platform/testkit';
import { authConfigSchema } from './config.js';

const base = signingKeyEnv();
const key = () => randomBytes(32).toString('base64');

describe('auth config: TOTP settings', () => {
  it('defaults the issuer and the challenge lifetime, and leaves the keys to the dev fallback', () => {
    const config = loadConfig(authConfigSchema, base);
    expect(config.TOTP_ISSUER).toBe('Platform');
    expect(config.TOTP_CHALLENGE_TTL_SECONDS).toBe(300);
    expect(config.TOTP_ENCRYPTION_KEYS).toBeUndefined();
  });

  it('refuses to start production without the TOTP, mail-sealing and media URL keys, naming each', () => {
    expect(() => loadConfig(authConfigSchema, { ...base, NODE_ENV: 'production' })).toThrow(
      /TOTP_ENCRYPTION_KEYS: is required in production[\s\S]*EMAIL_SEAL_KEYS: is required in production[\s\S]*MEDIA_URL_SECRET: is required in production/,
    );
    const keys = `k2:${key()},k1:${key()}`;
    const sealKeys = `m1:${key()}`;
    const config = loadConfig(authConfigSchema, {
      ...base,
      NODE_ENV: 'production',
      TOTP_ENCRYPTION_KEYS: keys,
      EMAIL_SEAL_KEYS: sealKeys,
      MEDIA_URL_SECRET: key(),
    });
    expect(config.TOTP_ENCRYPTION_KEYS).toBe(keys);
    expect(config.EMAIL_SEAL_KEYS).toBe(sealKeys);
  });

  it('refuses keys that are not 32 bytes, or not kid:base64', () => {
    for (const bad of [`k1:${randomBytes(16).toString('base64')}`, key(), `k1:${key()},k1:${key()}`]) {
      expect(() => loadConfig(authConfigSchema, { ...base, TOTP_ENCRYPTION_KEYS: bad })).toThrow(ConfigError);
    }
  });
});
