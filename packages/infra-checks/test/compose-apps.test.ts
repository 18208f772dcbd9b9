import { KEYS_ROOT, makeDevKeys, printConfig, removeScratch, type PrintedConfig } from './compose-run.js';
import { appOf, healthcheckUrl, loadCompose, namedVolumes, type ComposeService } from './compose.js';
import { REQUIRED_APPS } from './objects.js';

/** The services compose starts an app process in (dev-keys runs a script, not an app). */
function processServices(services: Record<string, ComposeService>): [string, ComposeService][] {
  return Object.entries(services).filter(([, s]) => appOf(s) !== undefined && (s.command?.length ?? 1) > 0);
}

/** The long-running apps: every service built from the Dockerfile that is not a one-shot. */
function appServices(services: Record<string, ComposeService>): [string, ComposeService][] {
  return processServices(services).filter(([, s]) => s.restart !== 'no');
}

describe.each([
  ['development', {}],
  ['production', { NODE_ENV: 'production' }],
])('compose.yaml apps with NODE_ENV %s', (_, env) => {
  const { services } = loadCompose(env);
  const printed = new Map<string, PrintedConfig>();

  beforeAll(async () => {
    const keys = await makeDevKeys();
    // One at a time: each is a node process parsing its config, and the machine is shared.
    for (const [name, service] of processServices(services))
      printed.set(name, await printConfig(service, keys));
  }, 120_000);

  afterAll(removeScratch);

  it('runs every app the platform needs, each built from infra/docker/Dockerfile as platform-<app>', () => {
    const apps = appServices(services).map(([name, s]) => [name, appOf(s), s.image]);
    expect(apps.map(([name]) => name).sort()).toEqual([...REQUIRED_APPS].sort());
    expect(apps.filter(([name, app, image]) => app !== name || image !== `platform-${app}`)).toEqual([]);
  });

  it('gives every app (and the migration) settings its own schema accepts, keys from the volumes included', () => {
    // --print-config parses with the app's real schema: a missing required setting, a bad URL or a key
    // set the app would refuse makes it exit 78 and name the setting.
    const refused = [...printed].filter(([, p]) => p.code !== 0).map(([name, p]) => `${name}: ${p.stderr}`);
    expect(refused).toEqual([]);
    expect([...printed.keys()].sort()).toEqual([...REQUIRED_APPS, 'migrate'].sort());
  });

  it("exposes exactly each app's PORT, METRICS_PORT and GRPC_PORT, and checks GET /ready on its PORT", () => {
    const problems = appServices(services).flatMap(([name, service]) => {
      const settings = printed.get(name)?.settings ?? {};
      const found: string[] = [];
      const grpc = settings.GRPC_PORT === undefined ? [] : [String(settings.GRPC_PORT)];
      const expected = [String(settings.PORT), String(settings.METRICS_PORT), ...grpc];
      if (JSON.stringify(service.expose) !== JSON.stringify(expected))
        found.push(`${name}: exposes ${service.expose?.join(',')}, the app listens on ${expected.join(',')}`);
      const url = healthcheckUrl(service);
      // /ready, not /health: depends_on waits on this, and a service is only of use once its deps are.
      const mountsScripts = (service.volumes ?? []).includes('./infra/compose:/compose:ro');
      if ((service.healthcheck?.test ?? []).some((part) => part.startsWith('/compose/')) && !mountsScripts)
        found.push(`${name}: healthcheck runs a script from /compose, which it does not mount`);
      if (url?.pathname !== '/ready' || url.port !== String(settings.PORT))
        found.push(`${name}: healthcheck asks ${url?.href}, expected /ready on ${settings.PORT}`);
      return found;
    });
    expect(problems).toEqual([]);
  });

  it('lets no service but auth (and dev-keys, which writes them) mount the private signing keys', () => {
    const mounting = Object.entries(services)
      .filter(([, s]) => namedVolumes(s).some((v) => v.target === `${KEYS_ROOT}/signing`))
      .map(([name]) => name);
    expect(mounting.sort()).toEqual(['auth', 'dev-keys']);
  });

  it("lets no service but realtime (and dev-keys) mount realtime's service-token key", () => {
    const mounting = Object.entries(services)
      .filter(([, s]) => namedVolumes(s).some((v) => v.target === `${KEYS_ROOT}/realtime`))
      .map(([name]) => name);
    expect(mounting.sort()).toEqual(['dev-keys', 'realtime']);
  });

  it("gives every token service the same issuer, the edge's URL on the port compose publishes", () => {
    const edgePort = services.edge?.ports?.[0]?.split(':').at(-2);
    const issuers = new Set(
      ['auth', 'users', 'admin', 'realtime'].map((name) => printed.get(name)?.settings.JWT_ISSUER),
    );
    expect([...issuers]).toEqual([`http://localhost:${edgePort}`]);
    expect(printed.get('auth')?.settings.PUBLIC_WEB_URL).toBe(`http://localhost:${edgePort}`);
    expect(printed.get('realtime')?.settings.WS_ALLOWED_ORIGINS).toContain(`http://localhost:${edgePort}`);
  });
});
