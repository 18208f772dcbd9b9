import { createServer, type Server } from 'node:http';
import type Koa from 'koa';

/** Serves a Koa app on an ephemeral port for the kit's own tests; returns its base URL and a closer. */
export async function serve(app: Koa<never>): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
