import { z } from 'zod';
import { generateKeyPair } from '@platform/tokens';
import { amqpFragment, bool, httpFragment, jwtVerifyFragment } from './fragments.js';
import { ConfigError, loadConfig } from './load.js';

const schema = z.object({
  ...httpFragment(3001, 9101),
  ...jwtVerifyFragment,
  ...amqpFragment,
  FLAG: bool(false),
});
const publicKeys = JSON.stringify({ keys: [generateKeyPair('EdDSA').publicJwk] });

describe('loadConfig', () => {
  it('applies defaults and coerces numbers and booleans', () => {
    const config = loadConfig(schema, { JWT_PUBLIC_KEYS: publicKeys, PORT: '4000', FLAG: 'yes' });
    expect(config).toMatchObject({ PORT: 4000, METRICS_PORT: 9101, RATE_LIMIT_PER_MINUTE: 100, FLAG: true });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(schema, { JWT_PUBLIC_KEYS: publicKeys, PORT: '' }).PORT).toBe(3001);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig(schema, { PORT: 'http', AMQP_NAMESPACE: 'Bad Name' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems } = error as ConfigError;
      expect(problems).toHaveLength(3);
      expect(problems.join('\n')).toMatch(/PORT/);
      expect(problems.join('\n')).toMatch(/JWT_PUBLIC_KEYS/);
      expect(problems.join('\n')).toMatch(/AMQP_NAMESPACE/);
    }
  });

  it('refuses a key set that is not a JWK Set, or that holds a private key, with a reason', () => {
    expect(() => loadConfig(schema, { JWT_PUBLIC_KEYS: 'a-shared-secret-of-old' })).toThrow(
      /JWT_PUBLIC_KEYS: must be a JSON Web Key Set/,
    );
    const privateKeys = JSON.stringify({ keys: [generateKeyPair('EdDSA').privateJwk] });
    expect(() => loadConfig(schema, { JWT_PUBLIC_KEYS: privateKeys })).toThrow(/must not hold "d"/);
  });
});
