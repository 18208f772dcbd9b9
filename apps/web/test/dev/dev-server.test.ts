// @vitest-environment node
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';

/**
 * `pnpm dev`: the Vite dev server with vite.config.ts, in front of a stand-in for the edge that
 * `pnpm start` runs (an HTTP and WebSocket server saying what reached it). API paths and the socket
 * must reach the edge with the page's Host; every other path is the app.
 */
let edge: http.Server;
let vite: ViteDevServer;
let devUrl: string;

beforeAll(async () => {
  edge = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ edge: req.url, host: req.headers.host }));
  });
  const sockets = new WebSocketServer({ server: edge });
  sockets.on('connection', (socket, req) => socket.send(`edge socket ${req.url ?? ''}`));
  await new Promise<void>((resolve) => edge.listen(0, '127.0.0.1', resolve));
  process.env.VITE_EDGE_URL = `http://127.0.0.1:${(edge.address() as AddressInfo).port}`;
  vite = await createServer({
    configFile: path.resolve(__dirname, '../../vite.config.ts'),
    root: path.resolve(__dirname, '../..'),
    server: { port: 0, strictPort: false, hmr: false },
    logLevel: 'silent',
  });
  await vite.listen();
  devUrl = `http://127.0.0.1:${(vite.httpServer?.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  await vite?.close();
  await new Promise((resolve) => edge?.close(resolve));
});

describe('the dev server (pnpm dev)', () => {
  it('sends API paths to the edge, keeping the Host the browser used', async () => {
    for (const api of ['/profile', '/login', '/chat/conversations', '/admin/users?page=2']) {
      const answer = (await (await fetch(`${devUrl}${api}`)).json()) as { edge: string; host: string };
      expect(answer).toEqual({ edge: api, host: new URL(devUrl).host });
    }
  });

  it('serves the app at every other path, whole segments only (/admins is a page, /admin the API)', async () => {
    for (const page of ['/', '/messages', '/console/audit-log', '/admins']) {
      const response = await fetch(`${devUrl}${page}`, { headers: { accept: 'text/html' } });
      expect({ page, html: (await response.text()).includes('<div id="root">') }).toEqual({
        page,
        html: true,
      });
    }
  });

  it('passes the chat socket through to the edge', async () => {
    const socket = new WebSocket(`${devUrl.replace('http', 'ws')}/ws?access_token=x`);
    const first = await new Promise<string>((resolve, reject) => {
      socket.once('message', (data: Buffer) => resolve(data.toString()));
      socket.once('error', reject);
    });
    socket.close();
    expect(first).toBe('edge socket /ws?access_token=x');
  });
});
