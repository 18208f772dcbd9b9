import http from 'node:http';
import type net from 'node:net';
import { EDGE_ROUTES, ERROR_CATALOGUE } from '@platform/contracts';
import { closeEdge, createEdge } from '../../src/edge.js';
import { close, connect, deadUrl, json, listen, readUntil, request } from './http-helpers.js';

/** A tiny upstream that says who it is and what it saw; `/user-data/hang-up` drops the connection. */
function upstream(name: string): http.Server {
  const server = http.createServer((req, res) => {
    if (req.url === '/user-data/hang-up') return req.socket.destroy();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ upstream: name, url: req.url, forwardedFor: req.headers['x-forwarded-for'] ?? null }),
    );
  });
  // Minimal WebSocket-style upstream: switch protocols, then echo every byte back.
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `X-Upstream: ${name}\r\nX-Seen-Forwarded-For: ${String(req.headers['x-forwarded-for'])}\r\n\r\n`,
    );
    socket.pipe(socket);
  });
  return server;
}

const UPGRADE = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
  'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
const endOfHead = (text: string) => text.includes('\r\n\r\n');

describe('the edge', () => {
  const auth = upstream('auth');
  const users = upstream('users');
  let edge: http.Server;
  let edgeUrl: string;

  beforeAll(async () => {
    const [authUrl, usersUrl, nobody] = await Promise.all([listen(auth), listen(users), deadUrl()]);
    // realtime rides on the auth upstream and graphql on users (both have the upgrade handler), media
    // on users'; admin points at a dead port.
    edge = createEdge({
      auth: authUrl,
      users: usersUrl,
      realtime: authUrl,
      graphql: usersUrl,
      media: usersUrl,
      admin: nobody,
    });
    edgeUrl = await listen(edge);
  });

  afterAll(async () => {
    await closeEdge(edge, 100);
    await Promise.all([close(auth), close(users)]);
  });

  it('sends every EDGE_ROUTES prefix and the paths below it to the owning service', async () => {
    // realtime rides on the auth upstream here, graphql and media on users'; admin is the dead one, checked below.
    const answeredBy: Partial<Record<string, string>> = {
      auth: 'auth',
      users: 'users',
      realtime: 'auth',
      media: 'users',
      graphql: 'users',
    };
    const live = EDGE_ROUTES.filter((r) => answeredBy[r.service] !== undefined);
    expect(live.length).toBe(EDGE_ROUTES.length - 1);
    for (const route of live) {
      for (const path of [route.prefix, `${route.prefix}/below?q=1`]) {
        const answer = await request(`${edgeUrl}${path}`);
        expect({ path, status: answer.status }).toEqual({ path, status: 200 });
        expect(json(answer)).toMatchObject({ upstream: answeredBy[route.service], url: path });
      }
    }
  });

  it('adds the client address to X-Forwarded-For', async () => {
    expect(json(await request(`${edgeUrl}/login`))).toMatchObject({ forwardedFor: '127.0.0.1' });
    const chained = await request(`${edgeUrl}/profile`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(json(chained)).toMatchObject({ upstream: 'users', forwardedFor: '203.0.113.7,127.0.0.1' });
  });

  it('answers its own GET /health', async () => {
    const answer = await request(`${edgeUrl}/health`);
    expect(answer.status).toBe(200);
    expect(json(answer)).toEqual({ status: 'ok' });
  });

  it('answers an unknown path with a 404 problem, matching whole segments only', async () => {
    for (const path of ['/nope', '/admins', '/loginx/1']) {
      const answer = await request(`${edgeUrl}${path}`);
      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(json(answer)).toEqual({
        type: 'urn:platform:problem:not_found',
        title: ERROR_CATALOGUE.not_found.title,
        status: 404,
        detail: `No route for ${path}.`,
        code: 'not_found',
      });
    }
  });

  it('answers 503 service_unavailable for a dead upstream and keeps serving', async () => {
    const answer = await request(`${edgeUrl}/admin/users`);
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers['retry-after']).toBe('5');
    expect(json(answer)).toMatchObject({
      type: 'urn:platform:problem:service_unavailable',
      status: 503,
      code: 'service_unavailable',
    });
    expect(answer.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|admin/);
    expect((await request(`${edgeUrl}/login`)).status).toBe(200);
  });

  it('answers 502 bad_gateway when an upstream drops the connection, and keeps serving', async () => {
    const answer = await request(`${edgeUrl}/user-data/hang-up`);
    expect(answer.status).toBe(502);
    expect(json(answer)).toMatchObject({
      title: ERROR_CATALOGUE.bad_gateway.title,
      status: 502,
      code: 'bad_gateway',
    });
    expect(answer.body).not.toMatch(/ECONNRESET|hang up/);
    expect((await request(`${edgeUrl}/user-data`)).status).toBe(200);
  });

  it('proxies a WebSocket upgrade on /ws and relays bytes both ways', async () => {
    const socket = await connect(edgeUrl);
    try {
      socket.write(UPGRADE('/ws?access_token=abc'));
      const head = await readUntil(socket, endOfHead);
      expect(head).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
      expect(head).toMatch(/x-upstream: auth/i);
      expect(head).toMatch(/x-seen-forwarded-for: 127\.0\.0\.1/i);
      socket.write('ping-bytes');
      expect(await readUntil(socket, (text) => text.includes('ping-bytes'))).toBe('ping-bytes');
    } finally {
      socket.destroy();
    }
  });

  it('proxies the GraphQL subscriptions upgrade on /graphql to the gateway', async () => {
    const socket = await connect(edgeUrl);
    try {
      socket.write(UPGRADE('/graphql'));
      const head = await readUntil(socket, endOfHead);
      expect(head).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
      expect(head).toMatch(/x-upstream: users/i);
    } finally {
      socket.destroy();
    }
  });

  it('refuses an upgrade on a route that is not a WebSocket route with a 404 problem', async () => {
    const socket = await connect(edgeUrl);
    socket.write(UPGRADE('/login'));
    const text = await readUntil(socket, (t) => t.includes('"code":"not_found"'));
    expect(text).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(text).toMatch(/content-type: application\/problem\+json/);
    socket.destroy();
  });
});

describe('the edge with its WebSocket service down', () => {
  it('answers the upgrade with a 503 problem and keeps serving', async () => {
    const edge = createEdge({ realtime: await deadUrl() });
    const edgeUrl = await listen(edge);
    try {
      const socket = await connect(edgeUrl);
      socket.write(UPGRADE('/ws'));
      const text = await readUntil(socket, (t) => t.includes('"code":"service_unavailable"'));
      expect(text).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
      socket.destroy();
      expect((await request(`${edgeUrl}/health`)).status).toBe(200);
      expect((await request(`${edgeUrl}/login`)).status).toBe(503);
    } finally {
      await closeEdge(edge, 100);
    }
  });
});
