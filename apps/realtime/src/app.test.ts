import type { TemplatedApp } from 'uWebSockets.js';
import { routerPath, routesOf } from '@platform/contracts';
import { createApp, type AppDeps } from './app.js';

/** What uWS cannot list itself: every `METHOD /pattern` the app registers, through a recording stand-in. */
function registeredRoutes(): string[] {
  const routes: string[] = [];
  const methods = {
    get: 'GET',
    post: 'POST',
    put: 'PUT',
    patch: 'PATCH',
    del: 'DELETE',
    any: 'ANY',
    ws: 'WS',
  };
  const recorder: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(methods))
    recorder[name] = (pattern: string) => {
      routes.push(`${method} ${pattern}`);
      return recorder;
    };
  // Handlers are only built, never called, so the dependencies are never touched.
  createApp({} as AppDeps, recorder as unknown as TemplatedApp);
  return routes;
}

/** The socket, the probes and the catch-all 404: not REST routes of the API document. */
const OUTSIDE_THE_DOCUMENT = ['GET /health', 'GET /ready', 'WS /ws', 'GET /ws', 'ANY /*'];

describe('createApp', () => {
  it("registers exactly the contract's REST routes for realtime, besides the socket and the probes", () => {
    const registered = registeredRoutes();
    expect(registered).toEqual(expect.arrayContaining(OUTSIDE_THE_DOCUMENT));
    const contract = routesOf('realtime').map((r) => `${r.method.toUpperCase()} ${routerPath(r.path)}`);
    expect(registered.filter((r) => !OUTSIDE_THE_DOCUMENT.includes(r)).sort()).toEqual(contract.sort());
  });
});
