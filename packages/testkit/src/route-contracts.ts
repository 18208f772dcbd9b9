import { routerPath, routesOf, type ServiceName } from '@platform/contracts';
import { registeredRoutes, type HttpApp } from '@platform/http';

/** The kit's probes, which every service answers and the API document leaves out. */
const PROBES = ['GET /health', 'GET /ready'];

/**
 * A service's routes twice, each as sorted `METHOD /path` lines: what its app registered (probes
 * left out) and what its contracts in @platform/contracts declare. A test expects them equal, so the
 * OpenAPI document can neither miss a route nor describe one that is not there.
 */
export function routeTables(
  app: HttpApp,
  service: ServiceName,
): { registered: string[]; declared: string[] } {
  const declared = routesOf(service).map((r) => `${r.method.toUpperCase()} ${routerPath(r.path)}`);
  const registered = registeredRoutes(app).filter((r) => !PROBES.includes(r));
  return { registered: registered.sort(), declared: declared.sort() };
}
