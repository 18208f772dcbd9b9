// The "no framework" ceiling for POST /login: node:http, JSON in, one password verify (the algorithm
// BASELINE_ALGORITHM names, at the bench's work factors), JSON out. Nothing else: no database, no
// Redis, no pool, no logging. Run as a child process by run.ts.
import { createServer } from 'node:http';
import { ALGORITHMS, type BenchAlgorithm } from './algorithms.js';

const port = Number(process.env.PORT);
const algorithm = ALGORITHMS[process.env.BASELINE_ALGORITHM as BenchAlgorithm['name']];
const password = process.env.BASELINE_PASSWORD ?? '';
const hash = await algorithm.hash(password);

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { password?: unknown };
    algorithm
      .verify(hash, String(body.password))
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
