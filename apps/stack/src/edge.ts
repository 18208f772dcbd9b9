import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import httpProxy from 'http-proxy';
import { routeFor, securityHeaders, STRICT_TRANSPORT_SECURITY, type ServiceName } from '@platform/contracts';
import { problem, writeProblem, writeProblemToSocket, type Problem } from './problem.js';
import type { WebAppFiles } from './web-app-files.js';

/** Upstream base URL per service; a service without one answers 503 (it is not running). */
export type EdgeTargets = Partial<Record<ServiceName, string>>;

/** Plain HTTP, or HTTPS when the edge has a certificate; both carry WebSocket upgrades. */
export type EdgeServer = http.Server | https.Server;

export interface EdgeOptions {
  /** PEM certificate and key: the edge serves HTTPS (and `wss://`) instead of HTTP. */
  tls?: { cert: string; key: string };
  /** Send Strict-Transport-Security (production over TLS only: in development it would pin localhost). */
  hsts?: boolean;
  /** The built web app, served for every GET or HEAD path that EDGE_ROUTES does not claim. */
  webApp?: WebAppFiles;
}

// Upgraded sockets leave the HTTP server's bookkeeping, so closing the edge has to end them itself.
const upgradedSockets = new WeakMap<EdgeServer, Set<Duplex>>();

/** Error codes that mean "nobody is listening there" rather than "the upstream misbehaved". */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const RETRY_AFTER_SECONDS = '5';

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?', 1)[0] ?? '/';
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function notFound(path: string): Problem {
  return problem('not_found', `No route for ${path.length > 200 ? `${path.slice(0, 200)}...` : path}.`);
}

function unavailable(): Problem {
  return problem('service_unavailable', 'The service behind this path is not available; try again shortly.');
}

/** Maps a proxy failure to what the client may know: no upstream names, addresses or error text. */
function upstreamProblem(error: unknown): Problem {
  const code = errorCode(error);
  if (code !== undefined && UNREACHABLE.has(code)) return unavailable();
  return problem('bad_gateway', 'The service behind this path did not answer properly.');
}

function retryHeaders(body: Problem): Record<string, string> {
  return body.status === 503 ? { 'retry-after': RETRY_AFTER_SECONDS } : {};
}

/** True once anything (a 101, or an upstream's refusal) went back on an upgrade socket. */
function answered(socket: Duplex): boolean {
  return socket instanceof net.Socket && socket.bytesWritten > 0;
}

/** Headers the edge puts on every answer; an upstream's own values (same names) replace them. */
function edgeHeaders(hsts: boolean): [string, string][] {
  const headers = Object.entries(securityHeaders());
  return hsts ? [...headers, ['strict-transport-security', STRICT_TRANSPORT_SECURITY]] : headers;
}

/**
 * The local edge: routes by EDGE_ROUTES (as the Ingress does), proxies WebSocket upgrades on routes
 * marked `websocket`, answers its own GET /health, and turns every failure into problem+json. With a
 * certificate it terminates TLS, as the Ingress does in a cluster, and talks plain HTTP to the services.
 */
export function createEdge(targets: EdgeTargets, options: EdgeOptions = {}): EdgeServer {
  // xfwd appends the client address to X-Forwarded-For; services trust exactly this one hop.
  const proxy = httpProxy.createProxyServer({ xfwd: true });
  // Every call below passes its own error callback; this listener only keeps a stray error from throwing.
  proxy.on('error', () => undefined);
  const sockets = new Set<Duplex>();
  const headers = edgeHeaders(options.hsts === true && options.tls !== undefined);

  const { webApp } = options;
  // The API's answers stay as they were: the app only gets the paths no route claims, and only reads.
  const serveWebApp = (req: http.IncomingMessage, res: http.ServerResponse, path: string): void => {
    if (webApp === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return writeProblem(res, notFound(path));
    }
    webApp.serve(req, res, path).then(
      (outcome) => {
        if (outcome === 'not_found') writeProblem(res, notFound(path));
      },
      // writeProblem cuts the connection instead if part of the file already went out.
      () => writeProblem(res, problem('internal_error', 'The file could not be read.')),
    );
  };

  const handle: http.RequestListener = (req, res) => {
    // Set before proxying: http-proxy copies the upstream's headers over these, so only the edge's
    // own answers (health, 404, 502, 503) and anything an upstream forgot keep the edge's values.
    for (const [name, value] of headers) res.setHeader(name, value);
    const path = pathOf(req.url);
    if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      const payload = JSON.stringify({ status: 'ok' });
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
      });
      res.end(req.method === 'HEAD' ? undefined : payload);
      return;
    }
    const route = routeFor(path);
    if (route === undefined) return serveWebApp(req, res, path);
    const target = targets[route.service];
    if (target === undefined) return writeProblem(res, unavailable(), retryHeaders(unavailable()));
    proxy.web(req, res, { target }, (error) => {
      const body = upstreamProblem(error);
      writeProblem(res, body, retryHeaders(body));
    });
  };
  const server: EdgeServer =
    options.tls === undefined ? http.createServer(handle) : https.createServer(options.tls, handle);

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that vanishes mid-handshake must not take the edge down with an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const path = pathOf(req.url);
    const route = routeFor(path);
    if (route === undefined || route.websocket !== true) return writeProblemToSocket(socket, notFound(path));
    const target = targets[route.service];
    if (target === undefined) return writeProblemToSocket(socket, unavailable(), retryHeaders(unavailable()));
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    proxy.ws(req, socket, head, { target }, (error) => {
      // After the 101 the socket carries frames; an HTTP error there would be garbage, so just close.
      if (answered(socket)) return socket.destroy();
      const body = upstreamProblem(error);
      writeProblemToSocket(socket, body, retryHeaders(body));
    });
  });

  upgradedSockets.set(server, sockets);
  return server;
}

/** Listens, resolving once bound (an EADDRINUSE rejects instead of crashing). */
export function listenEdge(server: EdgeServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Stops accepting, lets in-flight requests finish for up to `graceMs`, then cuts what is left. */
export function closeEdge(server: EdgeServer, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
    for (const socket of upgradedSockets.get(server) ?? []) socket.destroy();
  });
}
