// The "no framework" ceiling for POST /login: node:http, JSON in, one bcrypt.compare, JSON out.
// Nothing else: no database, no Redis, no pool, no logging. Run as a child process by run.ts.
import { createServer } from 'node:http';
import bcrypt from 'bcrypt';

const port = Number(process.env.PORT);
const cost = Number(process.env.BCRYPT_COST);
const password = process.env.BASELINE_PASSWORD ?? '';
const hash = await bcrypt.hash(password, cost);

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { password?: unknown };
    bcrypt
      .compare(String(body.password), hash)
      .then((matches) => {
        res
          .writeHead(matches ? 200 : 401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: matches }));
      })
      .catch(() => res.writeHead(500).end());
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
