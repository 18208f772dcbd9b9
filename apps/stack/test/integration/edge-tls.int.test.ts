import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { STRICT_TRANSPORT_SECURITY } from '@platform/contracts';
import { EdgeTlsError, loadEdgeTls, saveCertificate, type EdgeTls } from '../../src/edge-tls.js';
import { closeEdge, createEdge, type EdgeServer } from '../../src/edge.js';
import { close, json, listen, readUntil, request } from './http-helpers.js';

// Upgraded sockets leave the HTTP server's bookkeeping: the test ends the backend's own.
const upgraded = new Set<net.Socket>();

/** A plain-HTTP upstream (TLS ends at the edge) that echoes the bytes of an upgraded socket. */
function upstream(): http.Server {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ url: req.url, forwardedProto: req.headers['x-forwarded-proto'] ?? null }));
  });
  server.on('upgrade', (_req: http.IncomingMessage, socket: net.Socket) => {
    upgraded.add(socket);
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    socket.pipe(socket);
  });
  return server;
}

const UPGRADE =
  'GET /ws HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
  'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';

async function selfSigned(host: string): Promise<EdgeTls> {
  const made = await loadEdgeTls({ EDGE_TLS_SELF_SIGNED: true, EDGE_HOST: host });
  if (made === undefined) throw new Error('EDGE_TLS_SELF_SIGNED=true made no certificate');
  return made;
}

async function listenTls(edge: EdgeServer): Promise<string> {
  return (await listen(edge)).replace('http:', 'https:');
}

describe('the edge over TLS', () => {
  const backend = upstream();
  let material: EdgeTls;
  let production: EdgeServer;
  let development: EdgeServer;
  let productionUrl: string;
  let developmentUrl: string;

  beforeAll(async () => {
    const backendUrl = await listen(backend);
    material = await selfSigned('platform.test');
    const targets = { auth: backendUrl, realtime: backendUrl };
    production = createEdge(targets, { tls: material, hsts: true });
    development = createEdge(targets, { tls: material, hsts: false });
    [productionUrl, developmentUrl] = await Promise.all([listenTls(production), listenTls(development)]);
  });

  afterAll(async () => {
    await Promise.all([closeEdge(production, 100), closeEdge(development, 100)]);
    for (const socket of upgraded) socket.destroy();
    await close(backend);
  });

  it('makes a certificate for localhost, the loopback addresses and EDGE_HOST', () => {
    expect(material.selfSigned).toBe(true);
    const cert = new X509Certificate(material.cert);
    for (const host of ['localhost', 'platform.test']) expect(cert.checkHost(host)).toBe(host);
    for (const ip of ['127.0.0.1', '::1']) expect(cert.checkIP(ip)).toBe(ip);
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(new Date(cert.validTo).getTime() - Date.now()).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);
  });

  it('proxies HTTPS to the plain-HTTP service, with HSTS and the security headers in production', async () => {
    const answer = await request(`${productionUrl}/login?next=1`, { ca: material.cert });
    expect(answer.status).toBe(200);
    // The service learns the client spoke HTTPS (for Secure cookies and absolute links).
    expect(json(answer)).toMatchObject({ url: '/login?next=1', forwardedProto: 'https' });
    expect(answer.headers['strict-transport-security']).toBe(STRICT_TRANSPORT_SECURITY);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('sends no HSTS in development, where it would pin localhost to HTTPS for a year', async () => {
    const answer = await request(`${developmentUrl}/health`, { ca: material.cert });
    expect(answer.status).toBe(200);
    expect(answer.headers['strict-transport-security']).toBeUndefined();
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(request(`${productionUrl}/health`)).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
  });

  it('carries a wss:// upgrade through to the service and back', async () => {
    const { port } = new URL(productionUrl);
    const socket = tls.connect({
      host: '127.0.0.1',
      port: Number(port),
      ca: material.cert,
      servername: 'localhost',
    });
    try {
      socket.write(UPGRADE);
      expect(await readUntil(socket, (text) => text.includes('\r\n\r\n'))).toMatch(/^HTTP\/1.1 101 /);
      socket.write('ping over tls');
      expect(await readUntil(socket, (text) => text.includes('ping over tls'))).toContain('ping over tls');
    } finally {
      socket.destroy();
    }
  });
});

describe('loadEdgeTls', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'edge-tls-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is plain HTTP when neither a certificate nor the flag is set', async () => {
    expect(await loadEdgeTls({ EDGE_TLS_SELF_SIGNED: false, EDGE_HOST: '127.0.0.1' })).toBeUndefined();
  });

  it('reads a configured certificate and key, and names the setting whose file is missing', async () => {
    const made = await selfSigned('127.0.0.1');
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    await Promise.all([writeFile(cert, made.cert), writeFile(key, made.key)]);
    const base = { EDGE_TLS_SELF_SIGNED: false, EDGE_HOST: '127.0.0.1' };
    expect(await loadEdgeTls({ ...base, EDGE_TLS_CERT: cert, EDGE_TLS_KEY: key })).toEqual({
      cert: made.cert,
      key: made.key,
      selfSigned: false,
    });
    const missing = path.join(dir, 'nope.pem');
    const failure = loadEdgeTls({ ...base, EDGE_TLS_CERT: cert, EDGE_TLS_KEY: missing });
    await expect(failure).rejects.toThrow(EdgeTlsError);
    await expect(failure).rejects.toThrow(`EDGE_TLS_KEY=${missing} cannot be read`);
  });

  it('saves a generated certificate (never the key) where curl --cacert can find it', async () => {
    const made = await selfSigned('127.0.0.1');
    const file = await saveCertificate(made.cert, dir);
    expect(await readFile(file, 'utf8')).toBe(made.cert);
    expect(made.cert).not.toContain('PRIVATE KEY');
  });
});
