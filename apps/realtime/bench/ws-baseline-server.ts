// The baseline of the fanout bench: a plain `ws` server doing the same broadcast as realtime, and
// nothing else. It accepts any upgrade (no token check, no presence, no replay), binds an exclusive
// queue of its own to the namespace's `chat` fanout exchange with amqplib, and for every `chat.frame`
// envelope for audience `all` writes `JSON.stringify(payload.frame)` to every client: the idiomatic
// `for (const c of wss.clients) c.send(text)`. Each message is acked after its broadcast, with the
// same prefetch as realtime's subscription (PREFETCH). Run as a child process by run.ts.
import { createServer } from 'node:http';
import amqp from 'amqplib';
import { WebSocket, WebSocketServer } from 'ws';
import { EXCHANGES, namespaced } from '@platform/contracts';

const port = Number(process.env.PORT);
const prefetch = Number(process.env.PREFETCH ?? 20);
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

interface Envelope {
  type?: string;
  payload?: { audience?: { scope?: string }; frame?: unknown };
}

const connection = await amqp.connect(process.env.AMQP_URL ?? '');
const channel = await connection.createChannel();
const exchange = namespaced(process.env.AMQP_NAMESPACE ?? '', EXCHANGES.chat);
await channel.assertExchange(exchange, 'fanout', { durable: true, autoDelete: false });
const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
await channel.bindQueue(queue, exchange, '');
await channel.prefetch(prefetch);
await channel.consume(queue, (message) => {
  if (!message) return;
  let envelope: Envelope;
  try {
    envelope = JSON.parse(message.content.toString('utf8')) as Envelope;
  } catch {
    channel.nack(message, false, false);
    return;
  }
  if (envelope.type === 'chat.frame' && envelope.payload?.audience?.scope === 'all') {
    const text = JSON.stringify(envelope.payload.frame);
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
  }
  channel.ack(message);
});
consuming = true;
server.listen(port, '127.0.0.1');

process.once('SIGTERM', () => {
  consuming = false;
  for (const client of wss.clients) client.terminate();
  void channel
    .close()
    .then(() => connection.close())
    .catch(() => undefined)
    .finally(() => server.close(() => process.exit(0)));
});
