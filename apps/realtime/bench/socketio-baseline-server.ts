// The second baseline of the fanout bench: Socket.IO 4 with the settings a team gets by default
// (`new Server(httpServer)`: WebSocket and long-polling transports, heartbeats, no compression), doing
// the same broadcast as realtime and nothing else. It accepts any connection (no token check), binds
// an exclusive queue of its own to the namespace's `chat` fanout exchange with amqplib, and emits each
// `chat.frame` for audience `all` to every socket as the `frame` event: `io.emit('frame', frame)`, the
// idiomatic broadcast, which encodes the packet once for all sockets. Acked after the broadcast, with
// realtime's prefetch. Run as a child process by run.ts; the load clients speak Engine.IO's
// WebSocket framing (`load-client.ts`).
import { createServer } from 'node:http';
import amqp from 'amqplib';
import { Server } from 'socket.io';
import { EXCHANGES, namespaced } from '@platform/contracts';

const port = Number(process.env.PORT);
const prefetch = Number(process.env.PREFETCH ?? 20);
let consuming = false;

const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(consuming ? 200 : 503, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  }
});
const io = new Server(server);

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
    io.emit('frame', envelope.payload.frame);
  }
  channel.ack(message);
});
consuming = true;
server.listen(port, '127.0.0.1');

process.once('SIGTERM', () => {
  consuming = false;
  io.disconnectSockets(true);
  void channel
    .close()
    .then(() => connection.close())
    .catch(() => undefined)
    .finally(() => io.close(() => process.exit(0)));
});
