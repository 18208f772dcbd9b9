import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy, type INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import { parse } from 'yaml';
import {
  API_CONTENT_SECURITY_POLICY,
  securityHeaders,
  webAppContentSecurityPolicy,
} from '@platform/contracts';
import { all, first, locationFor, parseNginx, type Directive } from './nginx.js';
import { appContainer, named, ofType, OVERLAYS, selects } from './objects.js';
import { isRecord, readRepoFile, renderKustomization } from './render.js';

/** The web app's image: apps/web's build behind unprivileged nginx (infra/docker/Dockerfile, target `web`). */

const config = parseNginx('web-nginx.conf', 'infra/docker');
const server: Directive = first(config, 'server') ?? { name: 'server', args: [], block: [] };

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

/** Every directive, nested ones included. */
function everything(block: readonly Directive[] | undefined): Directive[] {
  return (block ?? []).flatMap((d) => [d, ...everything(d.block)]);
}

/** `FROM image AS name` lines of the Dockerfile, in order. */
function stages(): { image: string; name: string }[] {
  return [...readRepoFile('infra/docker/Dockerfile').matchAll(/^FROM\s+(\S+)\s+AS\s+(\S+)/gm)].map((m) => ({
    image: m[1] ?? '',
    name: m[2] ?? '',
  }));
}

describe('the web image (infra/docker)', () => {
  it('is the Dockerfile target `web` on unprivileged nginx, and runtime stays the default target', () => {
    const list = stages();
    expect(list.find((s) => s.name === 'web')?.image).toMatch(/^nginxinc\/nginx-unprivileged:\d+\.\d+\.\d+/);
    expect(list.at(-1)?.name).toBe('runtime');
    expect(readRepoFile('infra/docker/Dockerfile')).toMatch(/^USER 101:101$/m);
  });

  it('is what skaffold builds as platform-web', () => {
    const parsed: unknown = parse(readRepoFile('skaffold.yaml'));
    const artifacts = isRecord(parsed) && isRecord(parsed.build) ? parsed.build.artifacts : [];
    const web = (Array.isArray(artifacts) ? artifacts : []).find(
      (a: unknown) => isRecord(a) && a.image === 'platform-web',
    ) as { docker?: { target?: string; buildArgs?: { APP?: string } } } | undefined;
    expect(web?.docker).toMatchObject({ target: 'web', buildArgs: { APP: 'web' } });
  });

  it('serves files only: nothing is proxied (the Ingress routes the API)', () => {
    expect(first(config, 'server')).toBeDefined();
    expect(everything(server.block).filter((d) => d.name.startsWith('proxy_'))).toEqual([]);
    expect(first(server.block, 'listen')?.args).toEqual(['8080']);
  });

  it('answers every page path with the app, and a missing file with a 404', () => {
    for (const page of ['/', '/messages', '/console/audit-log', '/verify-email']) {
      expect({ page, tries: first(locationFor(server, page)?.block, 'try_files')?.args }).toEqual({
        page,
        tries: ['$uri', '/index.html'],
      });
    }
    expect(first(locationFor(server, '/assets/nope.js')?.block, 'try_files')?.args).toEqual(['$uri', '=404']);
    expect(first(locationFor(server, '/.env')?.block, 'return')?.args).toEqual(['404']);
  });

  it("sends the edge's security headers, and the app's CSP (ws:// or wss://) on documents", () => {
    const added = Object.fromEntries(
      all(locationFor(server, '/messages')?.block, 'add_header').map((d) => [
        d.args[0]?.toLowerCase(),
        d.args[1],
      ]),
    );
    const expected = Object.entries(securityHeaders()).filter(([name]) => name !== 'content-security-policy');
    expect(expected.filter(([name, value]) => added[name] !== value)).toEqual([]);
    expect(mapValue('$edge_csp', 'application/json')).toBe(API_CONTENT_SECURITY_POLICY);
    for (const [proto, secure] of [
      ['https', true],
      ['http', false],
    ] as const) {
      const socket = (mapValue('$csp_socket', 'chat.example.com') ?? '')
        .replace('$csp_socket_scheme', mapValue('$csp_socket_scheme', proto) ?? '')
        .replace('$http_host', 'chat.example.com');
      expect(mapValue('$edge_csp', 'text/html')?.replace('$csp_socket', socket)).toBe(
        webAppContentSecurityPolicy('chat.example.com', secure),
      );
    }
  });

  it('answers the probes on /health and /ready', () => {
    for (const path of ['/health', '/ready'])
      expect(first(locationFor(server, path)?.block, 'return')?.args[0]).toBe('200');
  });
});

describe.each(OVERLAYS)('overlays/%s web Deployment', (overlay) => {
  let deployment: IDeployment | undefined;
  let service: IService | undefined;
  let policies: INetworkPolicy[];

  beforeAll(async () => {
    const objects = await renderKustomization(`infra/k8s/overlays/${overlay}`);
    deployment = named(ofType(objects, Deployment.is), 'web');
    service = named(ofType(objects, Service.is), 'web');
    policies = ofType(objects, NetworkPolicy.is);
  }, 30_000);

  it('runs platform-web unprivileged, read-only, probed on its http port', () => {
    const container = deployment && appContainer(deployment);
    expect(container?.image).toBe('platform-web');
    expect(deployment?.spec?.template.spec?.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(container?.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(container?.volumeMounts).toEqual(
      expect.arrayContaining([expect.objectContaining({ mountPath: '/tmp' })]),
    );
    expect(container?.readinessProbe?.httpGet).toMatchObject({ path: '/ready', port: 'http' });
    expect(container?.livenessProbe?.httpGet).toMatchObject({ path: '/health', port: 'http' });
  });

  it('is behind a Service on http that ingress-nginx may reach', () => {
    expect(selects(service?.spec?.selector, deployment?.spec?.template.metadata?.labels)).toBe(true);
    expect(service?.spec?.ports?.map((p) => p.name)).toEqual(['http']);
    const edge = named(policies, 'allow-ingress-nginx');
    expect(selects(edge?.spec?.podSelector.matchLabels, deployment?.spec?.template.metadata?.labels)).toBe(
      true,
    );
  });
});
