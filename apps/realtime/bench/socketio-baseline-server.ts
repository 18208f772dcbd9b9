// The second baseline of the fanout bench: Socket.IO 4 with the settings a team gets by default
// (`new Server(httpServer)`: WebSocket and long-polling transports, heartbeats, no compression), doing
// the same broadcast as realtime and nothing else. It accepts any connection (no token check), binds
// an exclusive queue of its own to the namespace's `chat` fanout exchange with amqplib, and emits each
// `chat.frame` for audience `all` to every socket as the `frame` event: `io.emit('frame', frame)`, the
// idiomatic broadcast, which encodes the packet once for all sockets. Acked after the broadcast, with
// realtime's prefetch. Run as a child process by run.ts; the load clients speak Engine.IO's
// WebSocket framing (`load-client.ts`).
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { consumeChatFanout } from './baseline-fanout.js';

const port = Number(process.env.PORT);
let consuming = false;

const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(consuming ? 200 : 503, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  }
});
const io = new Server(server);

const stop = await consumeChatFanout((frame) => io.emit('frame', frame));
consuming = true;
server.listen(port, '127.0.0.1');

process.once('SIGTERM', () => {
  consuming = false;
  io.disconnectSockets(true);
  void stop().finally(() => io.close(() => process.exit(0)));
});
