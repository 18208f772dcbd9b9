// The "no framework" ceiling for GET /profile: node:http, the same JWT check the service makes
// (jsonwebtoken.verify, prebuilt KeyObject, HS256 pinned, issuer and audience), a small JSON answer.
// No Redis, no database, no rate limit, no logging. Run as a child process by run.ts.
import { createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import jwt from 'jsonwebtoken';

const port = Number(process.env.PORT);
const key = createSecretKey(Buffer.from(process.env.JWT_SECRET ?? '', 'utf8'));
const options: jwt.VerifyOptions = {
  algorithms: ['HS256'],
  issuer: process.env.JWT_ISSUER ?? '',
  audience: process.env.JWT_AUDIENCE ?? '',
  clockTolerance: 5,
};

const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
  try {
    const claims = jwt.verify(token, key, options) as jwt.JwtPayload;
    const body = JSON.stringify({ id: claims.sub, role: claims['role'] as unknown });
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
