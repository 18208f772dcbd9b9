import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap, type IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { PLATFORM_NAMESPACE, appContainer, containerEnv, named, ofType, OVERLAYS } from './objects.js';
import { renderKustomization, type RenderedObject } from './render.js';

/** Where the access-token keys live: the private set only in auth's Secret, the public set in a ConfigMap. */
const SIGNING_SECRET = 'auth-signing-keys';
const PUBLIC_KEYS = 'jwt-public-keys';
const VERIFIERS = ['users', 'admin', 'realtime'];

/** Names of the Secrets a pod template can read, through envFrom, env or a volume. */
function secretsOf(template: IPodTemplateSpec | undefined): string[] {
  const spec = template?.spec;
  const containers: IContainer[] = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  return [
    ...containers.flatMap((c) => (c.envFrom ?? []).map((source) => source.secretRef?.name)),
    ...containers.flatMap((c) => (c.env ?? []).map((variable) => variable.valueFrom?.secretKeyRef?.name)),
    ...(spec?.volumes ?? []).map((volume) => volume.secret?.secretName),
  ].filter((name): name is string => name !== undefined);
}

describe.each(OVERLAYS)('overlays/%s access-token keys', (overlay) => {
  let objects: RenderedObject[];
  let configMaps: IConfigMap[];

  beforeAll(async () => {
    objects = await renderKustomization(`infra/k8s/overlays/${overlay}`);
    configMaps = ofType(objects, ConfigMap.is);
  }, 30_000);

  it('lets auth alone read the private signing keys', () => {
    const templates = [
      ...ofType(objects, Deployment.is).map((d) => [d.metadata?.name, d.spec?.template] as const),
      ...ofType(objects, Job.is).map((j) => [j.metadata?.name, j.spec?.template] as const),
    ];
    const readers = templates.filter(([, template]) => secretsOf(template).includes(SIGNING_SECRET));
    expect(readers.map(([name]) => name)).toEqual(['auth']);
  });

  it('lets realtime alone read its service key, and users trust it from the service-token-keys ConfigMap', () => {
    const deployments = ofType(objects, Deployment.is);
    const readers = deployments.filter((d) => secretsOf(d.spec?.template).includes('realtime-service-keys'));
    expect(readers.map((d) => d.metadata?.name)).toEqual(['realtime']);
    const users = named(deployments, 'users');
    const sources = ((users && appContainer(users)?.envFrom) ?? []).map(
      (source) => source.configMapRef?.name,
    );
    expect(sources).toContain('service-token-keys');
    const realtime = named(deployments, 'realtime');
    const env = realtime && appContainer(realtime);
    expect(env && containerEnv(env, configMaps, PLATFORM_NAMESPACE).USERS_GRPC_URL).toBe(
      'http://users:50052',
    );
  });

  it('gives every verifier the public keys, and every token service the same issuer', () => {
    const deployments = ofType(objects, Deployment.is);
    const issuers = new Set<string | undefined>();
    for (const app of ['auth', ...VERIFIERS]) {
      const deployment = named(deployments, app);
      const container = deployment && appContainer(deployment);
      expect(container).toBeDefined();
      const sources = (container?.envFrom ?? []).map((source) => source.configMapRef);
      const publicKeys = sources.find((ref) => ref?.name === PUBLIC_KEYS);
      // auth derives its public keys from the private ones; the ConfigMap only adds retired keys there.
      expect(publicKeys).toEqual(
        app === 'auth' ? { name: PUBLIC_KEYS, optional: true } : { name: PUBLIC_KEYS },
      );
      issuers.add(container && containerEnv(container, configMaps, PLATFORM_NAMESPACE).JWT_ISSUER);
    }
    expect([...issuers]).toHaveLength(1);
    expect([...issuers][0]).toMatch(/^https?:\/\/platform\./);
  });
});
