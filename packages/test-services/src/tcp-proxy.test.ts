import net from 'node:net';
import { TcpProxy } from './tcp-proxy.js';

/** A loopback echo server that remembers its sockets so the test can end them all. */
async function startEcho(): Promise<{ port: number; sockets: Set<net.Socket>; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    sockets,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function connect(proxy: TcpProxy): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: proxy.host, port: proxy.port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with the first `length` bytes the socket receives, as text. */
function receive(socket: net.Socket, length: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.length < length) return;
      socket.off('data', onData);
      resolve(text);
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed after ${JSON.stringify(text)}`)));
  });
}

/** Resolves once the socket is fully closed (whatever way the other side ended it). */
function closed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.closed) return resolve();
    socket.on('error', () => undefined);
    socket.once('close', () => resolve());
  });
}

async function eventually(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let echo: Awaited<ReturnType<typeof startEcho>>;
let proxy: TcpProxy;
const clients: net.Socket[] = [];

async function client(): Promise<net.Socket> {
  const socket = await connect(proxy);
  clients.push(socket);
  return socket;
}

beforeEach(async () => {
  echo = await startEcho();
  proxy = await TcpProxy.start({ host: '127.0.0.1', port: echo.port });
});

afterEach(async () => {
  for (const socket of clients.splice(0)) socket.destroy();
  await proxy.close();
  await echo.close();
});

describe('TcpProxy', () => {
  it('forwards bytes both ways and counts the open connection', async () => {
    const socket = await client();
    const answer = receive(socket, 5);
    socket.write('hello');
    await expect(answer).resolves.toBe('hello');
    expect(proxy.connections).toBe(1);
    expect(proxy.port).not.toBe(echo.port);
  });

  it('cut() ends the client socket and the server side, and still accepts new connections', async () => {
    const socket = await client();
    await eventually(() => echo.sockets.size === 1);
    proxy.cut();
    await closed(socket);
    await eventually(() => echo.sockets.size === 0 && proxy.connections === 0);

    const again = await client();
    const answer = receive(again, 5);
    again.write('again');
    await expect(answer).resolves.toBe('again');
  });

  it('refuse() ends new connections before they reach the server, leaving open ones alone', async () => {
    const open = await client();
    proxy.refuse(true);
    const refused = await client();
    await closed(refused);
    expect(proxy.connections).toBe(1);
    expect(echo.sockets.size).toBe(1);

    const answer = receive(open, 5);
    open.write('still');
    await expect(answer).resolves.toBe('still');

    proxy.refuse(false);
    const accepted = await client();
    const reply = receive(accepted, 4);
    accepted.write('back');
    await expect(reply).resolves.toBe('back');
  });

  it('pause() holds every byte without closing, and delivers them once lifted', async () => {
    const socket = await client();
    proxy.pause(true);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.write('held');
    await delay(100);
    expect(received).toBe('');
    expect(proxy.connections).toBe(1);

    proxy.pause(false);
    await eventually(() => received === 'held');
  });

  it('pause() hides the server dropping a connection until the pause is lifted', async () => {
    const socket = await client();
    await eventually(() => echo.sockets.size === 1);
    proxy.pause(true);
    let isClosed = false;
    void closed(socket).then(() => (isClosed = true));
    for (const serverSide of echo.sockets) serverSide.destroy();
    await delay(100);
    expect(isClosed).toBe(false);
    expect(proxy.connections).toBe(1);

    proxy.pause(false);
    await eventually(() => isClosed);
    expect(proxy.connections).toBe(0);
  });

  it('close() drops open connections and resolves', async () => {
    const socket = await client();
    await proxy.close();
    await closed(socket);
    expect(proxy.connections).toBe(0);
  });
});

describe('TcpProxy.url', () => {
  it('points an amqp URL at the proxy, keeping credentials, vhost and query', () => {
    expect(proxy.url('amqp://guest:guest@127.0.0.1:5672/%2Fjobs?heartbeat=5')).toBe(
      `amqp://guest:guest@127.0.0.1:${proxy.port}/%2Fjobs?heartbeat=5`,
    );
  });

  it('points a postgres URL at the proxy, adding the port when the original had none', () => {
    expect(proxy.url('postgres://app:s%40cret@db.internal/platform?sslmode=disable')).toBe(
      `postgres://app:s%40cret@127.0.0.1:${proxy.port}/platform?sslmode=disable`,
    );
  });
});
