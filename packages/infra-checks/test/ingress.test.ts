import { Ingress, type IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import { EDGE_ROUTES } from '@platform/contracts';
import { named, ofType, OVERLAYS, PUBLIC_OVERLAYS } from './objects.js';
import { renderKustomization } from './render.js';

/** ingress-nginx keeps idle proxied connections open this long; WebSockets need far more than 60 s. */
const WEBSOCKET_TIMEOUT_ANNOTATION = 'nginx.ingress.kubernetes.io/proxy-read-timeout';

/** One path of one Ingress rule, flattened. */
interface IngressPath {
  ingress: IIngress;
  host: string;
  path: string;
  pathType: string;
  service: string | undefined;
  port: string | number | undefined;
}

function pathsOf(ingresses: readonly IIngress[]): IngressPath[] {
  return ingresses.flatMap((ingress) =>
    (ingress.spec?.rules ?? []).flatMap((rule) =>
      (rule.http?.paths ?? []).map((p) => ({
        ingress,
        host: rule.host ?? '*',
        path: p.path ?? '/',
        pathType: p.pathType,
        service: p.backend.service?.name,
        port: p.backend.service?.port?.name ?? p.backend.service?.port?.number,
      })),
    ),
  );
}

describe.each(OVERLAYS)('overlays/%s Ingress', (overlay) => {
  let paths: IngressPath[];
  let services: IService[];

  beforeAll(async () => {
    const objects = await renderKustomization(`infra/k8s/overlays/${overlay}`);
    paths = pathsOf(ofType(objects, Ingress.is));
    services = ofType(objects, Service.is);
  }, 30_000);

  const hosts = () => [...new Set(paths.map((p) => p.host))];

  it('serves one host', () => {
    expect(hosts()).toHaveLength(1);
  });

  it("routes exactly the edge's path prefixes (EDGE_ROUTES), each once, and `/` for the web app", () => {
    const expected = [...EDGE_ROUTES.map((r) => r.prefix), '/'].sort();
    for (const host of hosts()) {
      expect(
        paths
          .filter((p) => p.host === host)
          .map((p) => p.path)
          .sort(),
      ).toEqual(expected);
    }
  });

  it('sends every prefix to the Service that owns it, as a Prefix match on its http port', () => {
    const problems = EDGE_ROUTES.flatMap((route) =>
      paths
        .filter((p) => p.path === route.prefix)
        .flatMap((p) => {
          const where = `${p.host}${p.path}`;
          const found: string[] = [];
          // Prefix, not Exact: /admin must also route /admin/users.
          if (p.pathType !== 'Prefix') found.push(`${where}: pathType ${p.pathType}, expected Prefix`);
          if (p.service !== route.service)
            found.push(`${where}: goes to ${p.service}, expected ${route.service}`);
          if (p.port !== 'http') found.push(`${where}: goes to port ${p.port}, expected the named port http`);
          // Every routed Service must be deployed: a route to a missing one answers 503 at the edge.
          const service = named(services, route.service);
          if (!service) found.push(`${where}: Service ${route.service} is not deployed`);
          if (service && !(service.spec?.ports ?? []).some((sp) => sp.name === p.port))
            found.push(`${where}: Service ${route.service} has no port ${p.port}`);
          return found;
        }),
    );
    expect(problems).toEqual([]);
  });

  it('sends every other path (`/`) to the web app, whose Service serves http', () => {
    const root = paths.filter((p) => p.path === '/');
    expect(root.map((p) => [p.pathType, p.service, p.port])).toEqual([['Prefix', 'web', 'http']]);
    // Not on the WebSocket Ingress: pages get the default timeouts.
    expect(root[0]?.ingress.metadata?.name).toBe('platform');
    expect((named(services, 'web')?.spec?.ports ?? []).map((port) => port.name)).toContain('http');
  });

  it('gives WebSocket routes an Ingress with long proxy timeouts', () => {
    const websocketPrefixes = EDGE_ROUTES.filter((r) => r.websocket === true).map((r) => r.prefix);
    const short = paths
      .filter((p) => websocketPrefixes.includes(p.path))
      .filter((p) => Number(p.ingress.metadata?.annotations?.[WEBSOCKET_TIMEOUT_ANNOTATION] ?? 60) < 3600)
      .map((p) => `${p.ingress.metadata?.name}${p.path}`);
    expect(short).toEqual([]);
  });

  if (PUBLIC_OVERLAYS.includes(overlay)) {
    it('serves every host over TLS', () => {
      const bare = paths
        .filter((p) => !(p.ingress.spec?.tls ?? []).some((tls) => tls.hosts?.includes(p.host)))
        .map((p) => `${p.ingress.metadata?.name}: ${p.host}${p.path}`);
      expect(bare).toEqual([]);
    });
  }
});
