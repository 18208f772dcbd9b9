// The "no framework" ceiling for GET /profile: node:http, the same token check the service makes
// (AccessTokens.verify: the pinned algorithm, key by kid, issuer, audience, claims), a small JSON
// answer. No Redis, no database, no rate limit, no logging. Run as a child process by run.ts.
import { createServer } from 'node:http';
import { KeyRing, parseKeySet, AccessTokens, type SigningAlgorithm } from '@platform/tokens';

const port = Number(process.env.PORT);
const tokens = new AccessTokens({
  keys: new KeyRing(
    (process.env.JWT_ALGORITHM ?? 'EdDSA') as SigningAlgorithm,
    parseKeySet(process.env.JWT_PUBLIC_KEYS ?? '', 'public'),
  ),
  issuer: process.env.JWT_ISSUER ?? '',
  audience: process.env.JWT_AUDIENCE ?? '',
});

const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
  try {
    const claims = tokens.verify(token);
    const body = JSON.stringify({ id: claims.sub, role: claims.role });
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  } catch {
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":"invalid_token"}');
  }
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
