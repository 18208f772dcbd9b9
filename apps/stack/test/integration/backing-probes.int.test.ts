import { probeBacking } from '../../src/backing-probes.js';
import { resolveBackingServices } from '../../src/backing-services.js';
import { deadUrl } from './http-helpers.js';

/** The servers the jest global setup resolved (env, containers or local ports). */
function resolved(): { DATABASE_URL: string; REDIS_URL: string; AMQP_URL: string } {
  const { DATABASE_URL, REDIS_URL, AMQP_URL } = process.env;
  if (!DATABASE_URL || !REDIS_URL || !AMQP_URL)
    throw new Error('run through jest: its global setup sets these');
  return { DATABASE_URL, REDIS_URL, AMQP_URL };
}

function withPort(url: string, port: string): string {
  const parsed = new URL(url);
  parsed.port = port;
  return parsed.toString();
}

describe('probeBacking', () => {
  it('accepts real PostgreSQL, Redis and RabbitMQ servers', async () => {
    const env = resolved();
    await expect(probeBacking('postgres', env.DATABASE_URL)).resolves.toEqual({ ok: true });
    await expect(probeBacking('redis', env.REDIS_URL)).resolves.toEqual({ ok: true });
    await expect(probeBacking('rabbitmq', env.AMQP_URL)).resolves.toEqual({ ok: true });
  });

  it('says nothing accepts connections on a closed port', async () => {
    const port = new URL(await deadUrl()).port;
    const result = await probeBacking('redis', withPort(resolved().REDIS_URL, port));
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^nothing accepts connections/),
    });
  });

  it('tells an open port that speaks another protocol from a missing server', async () => {
    // RabbitMQ's port does not speak the PostgreSQL protocol: TCP opens, the handshake fails.
    const amqp = new URL(resolved().AMQP_URL);
    const result = await probeBacking(
      'postgres',
      `postgres://postgres@${amqp.hostname}:${amqp.port || '5672'}/x`,
      1_500,
    );
    expect(result).toMatchObject({
      ok: false,
      listening: true,
      reason: expect.stringMatching(/^the port is open but the server refused us/),
    });
  });

  it('refuses wrong RabbitMQ credentials', async () => {
    const url = new URL(resolved().AMQP_URL);
    url.password = 'definitely-wrong';
    const result = await probeBacking('rabbitmq', url.toString());
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/ACCESS.REFUSED/) });
  });
});

describe('resolveBackingServices with the real probes', () => {
  it('takes the env URLs of servers that answer', async () => {
    const env = resolved();
    const result = await resolveBackingServices(env, {
      probe: (kind, url) => probeBacking(kind, url),
      dockerAvailable: () => false,
      startContainers: async () => {
        throw new Error('no containers expected');
      },
      log: () => undefined,
    });
    expect(result).toMatchObject({
      ok: true,
      urls: { postgres: env.DATABASE_URL, redis: env.REDIS_URL, rabbitmq: env.AMQP_URL },
    });
  });
});
