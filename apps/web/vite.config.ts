import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type ProxyOptions } from 'vite';
import { EDGE_ROUTES } from '@platform/contracts';

/** Where `pnpm start` runs the edge; the dev server sends every API path there (VITE_EDGE_URL moves it). */
const edge = process.env.VITE_EDGE_URL ?? 'http://127.0.0.1:8080';

// Every path the edge routes to a service goes to the edge, so the dev page talks to the API at its own
// origin exactly as the built app does (no CORS); everything else is the app.
const proxy: Record<string, ProxyOptions> = Object.fromEntries(
  EDGE_ROUTES.map((route) => [
    `^${route.prefix.replace(/\./g, '\\.')}(/|\\?|$)`,
    { target: edge, ws: route.websocket === true, changeOrigin: false },
  ]),
);

export default defineConfig({
  plugins: [react()],
  // The workspace packages (the SDK, the contracts) from their sources: no stale dist, hot reload in dev.
  resolve: { conditions: ['@platform/source', ...defaultClientConditions] },
  server: { host: '127.0.0.1', port: 5173, strictPort: true, proxy },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, proxy },
  build: {
    outDir: 'dist',
    // Hashed files under assets/ are what the edge caches for a year; index.html is never cached.
    assetsDir: 'assets',
    // No inline script or style (the CSP forbids them): small assets stay files instead of data: URLs.
    assetsInlineLimit: 0,
    sourcemap: false,
    // The budget that counts is the gzipped initial script (test/integration/budget.int.test.ts).
    chunkSizeWarningLimit: 800,
  },
});
