import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP(S) request; no agent, so no keep-alive socket outlives the test. `ca` trusts a test certificate. */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; ca?: string } = {},
): Promise<Answer> {
  const send = url.startsWith('https:') ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false, ca: options.ca },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Parses a JSON body into a plain record for assertions. */
export function json(answer: Answer): Record<string, unknown> {
  return JSON.parse(answer.body) as Record<string, unknown>;
}

/** Listens on an ephemeral loopback port and returns the base URL. */
export function listen(server: net.Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`);
    });
  });
}

/** A loopback URL on which nothing listens (a port that was just bound, then released). */
export async function deadUrl(): Promise<string> {
  const server = net.createServer();
  const url = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return url;
}

/** Closes a server, cutting keep-alive connections so the test run can end. */
export function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Reads from `socket` until `done(text)` holds; rejects if the socket ends first. */
export function readUntil(socket: net.Socket, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (!done(text)) return;
      socket.off('data', onData);
      socket.off('end', onEnd);
      resolve(text);
    };
    const onEnd = () =>
      done(text) ? resolve(text) : reject(new Error(`socket ended after: ${JSON.stringify(text)}`));
    socket.on('data', onData);
    socket.once('end', onEnd);
  });
}

/** Opens a raw TCP connection to the host and port of `url`. */
export function connect(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}
