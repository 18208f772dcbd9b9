import { randomUUID } from 'node:crypto';
import { Denylist } from '@platform/tokens';
import {
  connect,
  realtimeWorld,
  refusedUpgrade,
  sleep,
  type Instance,
  type RealtimeWorld,
} from './harness.js';

describe('GET /ws handshake', () => {
  let world: RealtimeWorld;
  let instance: Instance;

  beforeAll(async () => {
    world = await realtimeWorld();
    instance = await world.start({ WS_ALLOWED_ORIGINS: 'https://app.example' });
  });
  afterAll(() => world.close());

  it('refuses an upgrade without a token with 401 problem+json', async () => {
    const refused = await refusedUpgrade(instance.wsUrl);
    expect(refused.status).toBe(401);
    expect(refused.contentType).toBe('application/problem+json');
    expect(refused.body).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('refuses a forged or malformed token with 401 invalid_token', async () => {
    const forged = await refusedUpgrade(instance.wsUrl, { authorization: 'Bearer not.a.jwt' });
    expect(forged).toMatchObject({ status: 401, body: { code: 'invalid_token' } });
    const viaQuery = await refusedUpgrade(`${instance.wsUrl}?access_token=garbage`);
    expect(viaQuery).toMatchObject({ status: 401, body: { code: 'invalid_token' } });
  });

  it('refuses a token whose session was revoked with 401 token_revoked', async () => {
    const user = await world.seedUser();
    await new Denylist(world.redis, 900).revokeSession(user.sessionId);
    await sleep(20); // the revocation reaches the instance's denylist mirror over Redis pub/sub
    const refused = await refusedUpgrade(instance.wsUrl, { authorization: `Bearer ${user.accessToken}` });
    expect(refused).toMatchObject({ status: 401, body: { code: 'token_revoked' } });
  });

  it('refuses tokens revoked before the instance started, and logged-out tokens', async () => {
    const [before, loggedOut] = await Promise.all([world.seedUser(), world.seedUser()]);
    const denylist = new Denylist(world.redis, 900);
    await denylist.revokeSession(before.sessionId);
    const late = await world.start();
    const claims = world.tokens.verify(loggedOut.accessToken);
    await denylist.revokeToken(claims.jti, claims.exp);
    await sleep(20);
    for (const user of [before, loggedOut]) {
      const refused = await refusedUpgrade(late.wsUrl, { authorization: `Bearer ${user.accessToken}` });
      expect(refused).toMatchObject({ status: 401, body: { code: 'token_revoked' } });
    }
    // Decided in the upgrade handler itself: nothing waited for Redis (see "uWS notes" in the README).
    const socket = await connect(late, (await world.seedUser()).accessToken);
    await socket.close();
    expect(await late.resources.registry.metrics()).toMatch(
      /^realtime_upgrades_deferred_total(\{[^}]*\})? 0$/m,
    );
    await late.stop();
  });

  it('refuses a browser origin that is not allowed with 403', async () => {
    const user = await world.seedUser();
    const refused = await refusedUpgrade(instance.wsUrl, {
      authorization: `Bearer ${user.accessToken}`,
      origin: 'https://evil.example',
    });
    expect(refused).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('accepts a valid token by header, by query parameter, from an allowed origin or none', async () => {
    const user = await world.seedUser();
    const sockets = await Promise.all([
      connect(instance, user.accessToken),
      connect(instance, user.accessToken, { query: true }),
      connect(instance, user.accessToken, { origin: 'https://app.example' }),
    ]);
    await Promise.all(sockets.map((socket) => socket.close()));
  });

  it('answers a plain GET /ws with 426 and unknown paths with 404', async () => {
    const plain = await fetch(`${instance.url}/ws`);
    expect(plain.status).toBe(426);
    const missing = await fetch(`${instance.url}/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });

  it('reports health and readiness of its dependencies', async () => {
    const health = await fetch(`${instance.url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${instance.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', broker: 'ok', redis: 'ok', subscriber: 'ok' },
    });
  });
});
