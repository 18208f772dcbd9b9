import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { API_CONTENT_SECURITY_POLICY } from '@platform/contracts';
import { closeEdge, createEdge } from '../../src/edge.js';
import { webAppFiles } from '../../src/web-app-files.js';
import { close, connect, json, listen, readUntil, request } from './http-helpers.js';

const INDEX = '<!doctype html><title>app</title><script type="module" src="/assets/app-1a2b3c.js"></script>';
const SCRIPT = 'console.log("app")';

/** A built app beside a file that must never be reachable through it. */
function writeBuild(): { dir: string; root: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'web-app-'));
  const root = path.join(dir, 'dist');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), INDEX);
  writeFileSync(path.join(root, 'assets', 'app-1a2b3c.js'), SCRIPT);
  writeFileSync(path.join(root, 'assets', 'app-1a2b3c.css'), 'body{}');
  writeFileSync(path.join(root, 'robots.txt'), 'User-agent: *');
  writeFileSync(path.join(root, '.env'), 'SECRET=dotfile');
  writeFileSync(path.join(dir, 'secret.txt'), 'SECRET=outside');
  return { dir, root };
}

/** Sends the request line exactly as written (no URL normalisation by a client library). */
async function raw(edgeUrl: string, target: string): Promise<string> {
  const socket = await connect(edgeUrl);
  try {
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    return await readUntil(socket, () => false).catch((error: Error) => error.message);
  } finally {
    socket.destroy();
  }
}

describe('the edge serving the web app', () => {
  const build = writeBuild();
  const auth = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ upstream: 'auth', url: req.url }));
  });
  let edge: http.Server;
  let edgeUrl: string;

  beforeAll(async () => {
    edge = createEdge({ auth: await listen(auth) }, { webApp: webAppFiles(build.root) });
    edgeUrl = await listen(edge);
  });

  afterAll(async () => {
    await closeEdge(edge, 100);
    await close(auth);
    rmSync(build.dir, { recursive: true, force: true });
  });

  it('answers / with index.html, never cached, under the app policy', async () => {
    const answer = await request(`${edgeUrl}/`);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(INDEX);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-cache');
    const csp = answer.headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+;/);
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves hashed assets with their content type, cached for a year', async () => {
    const script = await request(`${edgeUrl}/assets/app-1a2b3c.js`);
    expect(script.status).toBe(200);
    expect(script.body).toBe(SCRIPT);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const style = await request(`${edgeUrl}/assets/app-1a2b3c.css`);
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    const robots = await request(`${edgeUrl}/robots.txt`);
    expect(robots.headers['cache-control']).toBe('no-cache');
  });

  it("answers the SPA's page paths with index.html, query strings included", async () => {
    for (const page of ['/sign-in', '/verify-email?token=abc', '/messages/42', '/settings/security']) {
      const answer = await request(`${edgeUrl}${page}`);
      expect({ page, status: answer.status, body: answer.body }).toEqual({ page, status: 200, body: INDEX });
    }
    const head = await request(`${edgeUrl}/sign-in`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('answers a missing asset or file with a 404 problem, not the page', async () => {
    for (const missing of ['/assets/gone-123.js', '/favicon.ico', '/assets/']) {
      const answer = await request(`${edgeUrl}${missing}`);
      expect({ missing, status: answer.status }).toEqual({ missing, status: 404 });
      expect(answer.headers['content-type']).toBe('application/problem+json');
    }
  });

  it('keeps the API paths and methods exactly as before', async () => {
    const login = await request(`${edgeUrl}/login`);
    expect(json(login)).toEqual({ upstream: 'auth', url: '/login' });
    // Not the app's: writes to an unclaimed path, and services that do not run.
    const post = await request(`${edgeUrl}/sign-in`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect(post.headers['content-type']).toBe('application/problem+json');
    const users = await request(`${edgeUrl}/profile`);
    expect(users.status).toBe(503);
    expect(users.headers['content-security-policy']).toBe(API_CONTENT_SECURITY_POLICY);
  });

  it('never serves a file outside the build or a dotfile', async () => {
    for (const target of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/.env',
      '/%2eenv',
      '/%00index.html',
      '/%E0%A4%A',
    ]) {
      const text = await raw(edgeUrl, target);
      expect({ target, leaked: text.includes('SECRET=') }).toEqual({ target, leaked: false });
      expect({ target, status: text.slice(0, 12) }).not.toEqual({ target, status: 'HTTP/1.1 200' });
    }
  });
});

describe('the edge without a built web app', () => {
  it('answers every unclaimed path with a 404 problem, as before', async () => {
    const edge = createEdge({});
    const edgeUrl = await listen(edge);
    try {
      const answer = await request(`${edgeUrl}/sign-in`);
      expect(answer.status).toBe(404);
      expect(json(answer)).toMatchObject({ code: 'not_found' });
    } finally {
      await closeEdge(edge, 100);
    }
  });
});
