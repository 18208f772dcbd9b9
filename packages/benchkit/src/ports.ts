import { createServer } from 'node:net';

/**
 * A port that was free a moment ago. Children are given fixed ports (rather than port 0) so the bench
 * knows where to send load and where to scrape metrics without parsing their logs.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
