// The baseline of the fanout bench: a plain `ws` server doing the same broadcast as realtime, and
// nothing else. It accepts any upgrade (no token check, no presence, no replay), binds an exclusive
// queue of its own to the namespace's `chat` fanout exchange with amqplib, and for every `chat.frame`
// envelope for audience `all` writes `JSON.stringify(payload.frame)` to every client: the idiomatic
// `for (const c of wss.clients) c.send(text)`. Each message is acked after its broadcast, with the
// same prefetch as realtime's subscription (PREFETCH). Run as a child process by run.ts.
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { consumeChatFanout } from './baseline-fanout.js';

const port = Number(process.env.PORT);
let consuming = false;

const server = createServer((req, res) => {
  if (req.url === '/health' && consuming) {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  res.writeHead(req.url === '/health' ? 503 : 404).end();
});
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
wss.on('connection', (ws) => ws.on('error', () => undefined));

const stop = await consumeChatFanout((frame) => {
  const text = JSON.stringify(frame);
  for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
});
consuming = true;
server.listen(port, '127.0.0.1');

process.once('SIGTERM', () => {
  consuming = false;
  for (const client of wss.clients) client.terminate();
  void stop().finally(() => server.close(() => process.exit(0)));
});
