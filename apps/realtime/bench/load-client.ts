// A load-client process of the fanout bench (forked by clients.ts, driven over IPC): opens `ws`
// sockets to the server under test, counts the bench's frames and records, for each, the time from
// its publish (`sentAt` in the frame, epoch ms from `performance`) to its arrival here. Processes on
// one machine share the clock, so the difference is the publish-to-receive latency.
import WebSocket from 'ws';
import { LatencyHistogram } from './histogram.js';
import type { ClientReply, ClientRequest, ClientStats, CloseRecord } from './protocol.js';

const COLON = 0x3a;
/** Engine.IO packet types, as the first byte of a WebSocket message: open, ping, message. */
const EIO_OPEN = 0x30;
const EIO_PING = 0x32;
const EIO_MESSAGE = 0x34;
/** Socket.IO's EVENT packet inside an Engine.IO message: `42["frame",{...}]`. */
const SIO_EVENT = 0x32;
/** How the server under test frames messages: plain JSON frames, or Socket.IO over Engine.IO. */
let protocol: 'plain' | 'socket.io' = 'plain';
/** `"sentAt"`, the last key of every bench frame: its value ends the frame, just before the `}`. */
const KEY = Buffer.from('"sentAt"');
/** Open sockets and when each opened (epoch ms). */
const sockets = new Map<WebSocket, number>();
/** The first closes of sockets that had opened: how long after the open, and the error seen, if any. */
const closeLog: CloseRecord[] = [];
const histogram = new LatencyHistogram();
const closes = new Map<number, number>();
let recording = false;
let frames = 0;
let otherFrames = 0;
let firstAt = Number.NaN;
/** Each message's first and last arrival in this process (sentAt -> [ms, ms]). */
const arrivals = new Map<number, [number, number]>();
let lastAt = Number.NaN;

const now = () => performance.timeOrigin + performance.now();

/**
 * The frame's `sentAt`, found from the end (the publisher makes it the last key and JSON.stringify
 * keeps the order): a few bytes are looked at instead of the whole frame. NaN for any other frame.
 */
function sentAtOf(buffer: Buffer, end = buffer.length - 1): number {
  let colon = end - 1;
  while (colon > end - 32 && colon > KEY.length && buffer[colon] !== COLON) colon -= 1;
  if (buffer[colon] !== COLON || buffer.compare(KEY, 0, KEY.length, colon - KEY.length, colon) !== 0) {
    return Number.NaN;
  }
  return Number.parseFloat(buffer.toString('latin1', colon + 1, end));
}

/**
 * Socket.IO's side of the conversation a client library would hold: join the default namespace when
 * Engine.IO opens, answer pings (or the server drops the socket), and find the frame inside an event
 * packet (`42["frame",{...}]`: it ends one byte early, at the `]`). Returns where the frame ends, or
 * null for a packet that is not an event.
 */
function socketIoFrameEnd(ws: WebSocket, buffer: Buffer): number | null {
  if (buffer[0] === EIO_OPEN) ws.send('40');
  else if (buffer[0] === EIO_PING && buffer.length === 1) ws.send('3');
  else if (buffer[0] === EIO_MESSAGE && buffer[1] === SIO_EVENT) return buffer.length - 2;
  return null;
}

function onMessage(ws: WebSocket, data: WebSocket.RawData): void {
  const at = now();
  const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  const end = protocol === 'socket.io' ? socketIoFrameEnd(ws, buffer) : buffer.length - 1;
  if (end === null) return;
  const sentAt = sentAtOf(buffer, end);
  if (Number.isNaN(sentAt)) {
    otherFrames += 1;
    return;
  }
  if (!recording) return;
  frames += 1;
  if (Number.isNaN(firstAt)) firstAt = at;
  lastAt = at;
  histogram.record(at - sentAt);
  const seen = arrivals.get(sentAt);
  if (seen) seen[1] = at - sentAt;
  else arrivals.set(sentAt, [at - sentAt, at - sentAt]);
}

/** Opens one socket; resolves with an error message instead of rejecting. */
function open(url: string, token: string, localAddress?: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${token}` },
      perMessageDeflate: false,
      skipUTF8Validation: true,
      ...(localAddress ? { localAddress } : {}),
    });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve('no open within 20 s');
    }, 20_000);
    let lastError = '';
    ws.once('open', () => {
      clearTimeout(timer);
      sockets.set(ws, now());
      ws.on('message', (data) => onMessage(ws, data));
      resolve(undefined);
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      ws.terminate();
      resolve(`upgrade refused: ${res.statusCode}`);
    });
    ws.on('error', (error) => {
      clearTimeout(timer);
      lastError = error.message;
      if (!sockets.has(ws)) resolve(error.message);
    });
    ws.on('close', (code) => {
      const openedAt = sockets.get(ws);
      if (openedAt === undefined || !sockets.delete(ws)) return;
      closes.set(code, (closes.get(code) ?? 0) + 1);
      if (closeLog.length < 20) {
        closeLog.push({ code, afterOpenMs: now() - openedAt, at: now(), error: lastError, recording });
      }
    });
  });
}

async function connect(
  url: string,
  tokens: string[],
  concurrency: number,
  localAddress?: string,
): Promise<ClientReply> {
  const errors = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < tokens.length) {
      const token = tokens[next++] ?? '';
      const error = await open(url, token, localAddress);
      if (error) errors.set(error, (errors.get(error) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { open: sockets.size, errors: Object.fromEntries(errors) };
}

function stats(): ClientStats {
  return {
    frames,
    otherFrames,
    firstAt,
    lastAt,
    open: sockets.size,
    closes: Object.fromEntries(closes),
    closeLog,
    histogram: histogram.sparse(),
    maxMs: histogram.maxMs,
    sumMs: histogram.sumMs,
    arrivals: [...arrivals].map(([sentAt, [first, last]]) => [sentAt, first, last]),
  };
}

async function closeAll(): Promise<void> {
  const closed = [...sockets.keys()].map(
    (ws) =>
      new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close(1000);
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 2000).unref();
      }),
  );
  await Promise.all(closed);
}

async function handle(request: ClientRequest): Promise<ClientReply> {
  switch (request.cmd) {
    case 'connect':
      protocol = request.protocol ?? 'plain';
      return connect(request.url, request.tokens, request.concurrency, request.localAddress);
    case 'start':
      histogram.reset();
      frames = 0;
      otherFrames = 0;
      firstAt = Number.NaN;
      arrivals.clear();
      lastAt = Number.NaN;
      recording = true;
      return { open: sockets.size };
    case 'count':
      return { frames, otherFrames, open: sockets.size };
    case 'stop':
      recording = false;
      return stats();
    case 'close':
      await closeAll();
      return { open: sockets.size };
  }
}

process.on('message', (message: { id: number; request: ClientRequest }) => {
  void handle(message.request).then(
    (reply) => process.send?.({ id: message.id, reply }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
