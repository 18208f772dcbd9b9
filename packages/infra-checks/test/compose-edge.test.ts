import {
  API_CONTENT_SECURITY_POLICY,
  EDGE_ROUTES,
  problemBody,
  securityHeaders,
  webAppContentSecurityPolicy,
} from '@platform/contracts';
import { healthcheckUrl, loadCompose } from './compose.js';
import { all, first, locationFor, parseNginx, type Directive } from './nginx.js';

const config = parseNginx('nginx.conf');
const server = first(config, 'server');
const { services } = loadCompose();

/** `service:port` a location proxies to (`set $upstream ...; proxy_pass http://$upstream;`), if any. */
function upstreamOf(location: Directive | undefined): string | undefined {
  if (!first(location?.block, 'proxy_pass')) return undefined;
  return first(location?.block, 'set')?.args[1];
}

/** A map's value for an input, by its regex entries (`~` / `~*`) or literal keys, else default. */
function mapValue(variable: string, input: string): string | undefined {
  const map = config.find((d) => d.name === 'map' && d.args[1] === variable);
  for (const entry of map?.block ?? []) {
    const key = entry.name;
    const hit = key.startsWith('~*')
      ? new RegExp(key.slice(2), 'i').test(input)
      : key.startsWith('~')
        ? new RegExp(key.slice(1)).test(input)
        : key === input;
    if (hit && key !== 'default') return entry.args[0];
  }
  return first(map?.block, 'default')?.args[0];
}

describe('the compose edge (infra/compose/nginx.conf)', () => {
  it('has one server', () => {
    expect(all(config, 'server')).toHaveLength(1);
  });

  it('sends every EDGE_ROUTES prefix, and the paths below it, to the service that owns it', () => {
    const problems = EDGE_ROUTES.flatMap((route) =>
      [route.prefix, `${route.prefix}/x`].flatMap((uri) => {
        const upstream = server && upstreamOf(locationFor(server, uri));
        return upstream?.split(':')[0] === route.service
          ? []
          : [`${uri} -> ${upstream}, expected ${route.service}`];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('leaves every other path to the web app, /admins and /wsx included (whole segments, as routeFor)', () => {
    const uris = ['/', '/sign-in', '/settings/profile', '/assets/index-abc.js', '/favicon.svg'];
    const near = EDGE_ROUTES.map((r) => `${r.prefix}x`);
    const proxied = [...uris, ...near].filter((uri) => server && upstreamOf(locationFor(server, uri)));
    expect(proxied).toEqual([]);
  });

  it("proxies to each service on the port its compose service serves (the app's PORT)", () => {
    const problems = (server?.block ?? [])
      .map((location) => upstreamOf(location))
      .filter((upstream): upstream is string => upstream !== undefined)
      .filter((upstream) => {
        const [name = '', port] = upstream.split(':');
        const service = services[name];
        return !service || healthcheckUrl(service)?.port !== port || service.depends_on === undefined;
      });
    expect(problems).toEqual([]);
    const routed = [...new Set(EDGE_ROUTES.map((r) => r.service))].sort();
    expect(Object.keys(services.edge?.depends_on ?? {}).sort()).toEqual(routed);
  });

  it('upgrades WebSocket routes with long timeouts, keeping the forwarded headers nginx would drop', () => {
    for (const route of EDGE_ROUTES.filter((r) => r.websocket === true)) {
      const location = server && locationFor(server, route.prefix);
      const headers = Object.fromEntries(
        all(location?.block, 'proxy_set_header').map((d) => [d.args[0], d.args[1]]),
      );
      expect(headers).toMatchObject({
        Upgrade: '$http_upgrade',
        Connection: 'upgrade',
        Host: '$http_host',
        'X-Forwarded-For': '$proxy_add_x_forwarded_for',
      });
      expect(
        parseInt(first(location?.block, 'proxy_read_timeout')?.args[0] ?? '60', 10),
      ).toBeGreaterThanOrEqual(3600);
    }
  });

  it("answers with the edge's security headers, and the web app's CSP on HTML documents", () => {
    const location = server && locationFor(server, '/sign-in');
    const added = Object.fromEntries(
      all(location?.block, 'add_header').map((d) => [d.args[0]?.toLowerCase(), d.args[1]]),
    );
    const expected = Object.entries(securityHeaders()).filter(([name]) => name !== 'content-security-policy');
    expect(expected.filter(([name, value]) => added[name] !== value)).toEqual([]);
    expect(added['content-security-policy']).toBe('$edge_csp');
    expect(mapValue('$edge_csp', 'application/json')).toBe(API_CONTENT_SECURITY_POLICY);
    const socket = mapValue('$csp_socket', 'localhost:8080')?.replace('$http_host', 'localhost:8080') ?? '';
    expect(mapValue('$edge_csp', 'text/html')?.replace('$csp_socket', socket)).toBe(
      webAppContentSecurityPolicy('localhost:8080', false),
    );
    expect(mapValue('$csp_socket', 'evil; script-src *')).toBe('');
  });

  it('caches hashed assets for a year and revalidates everything else', () => {
    expect(mapValue('$edge_cache_control', '/assets/index-abc.js')).toBe(
      'public, max-age=31536000, immutable',
    );
    expect(mapValue('$edge_cache_control', '/index.html')).toBe('no-cache');
  });

  it.each([
    [
      '@unavailable',
      'service_unavailable',
      'The service behind this path is not available; try again shortly.',
    ],
    ['@not_found', 'not_found', 'Nothing is served at this path.'],
  ] as const)("answers %s with the catalogue's problem document, as JSON", (name, code, detail) => {
    const named = all(server?.block, 'location').find((l) => l.args[0] === name);
    const body: unknown = JSON.parse(first(named?.block, 'return')?.args[1] ?? '{}');
    expect(body).toEqual(problemBody(code, detail));
    expect(first(named?.block, 'default_type')?.args[0]).toBe('application/problem+json');
  });
});
