import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IContainerPort } from 'kubernetes-models/v1/ContainerPort';
import type { IService } from 'kubernetes-models/v1/Service';
import type { RenderedObject } from './render.js';

/** The namespace of the platform's own workloads (the dev-deps live in `platform-deps`). */
export const PLATFORM_NAMESPACE = 'platform';

/** The container every platform Deployment runs its app in; the shared patch finds it by this name. */
export const APP_CONTAINER = 'app';

/** The overlays a deploy may apply (skaffold profiles, the deploy workflow); each is rendered and checked. */
export const OVERLAYS = ['dev', 'staging', 'prod'] as const;

/** Overlays of a public environment: TLS on every host, Secrets created by hand, images from a registry. */
export const PUBLIC_OVERLAYS: readonly string[] = ['staging', 'prod'];

/** Services the manifests must deploy; each serves `/health` and `/ready` on its HTTP or probe port. */
export const REQUIRED_APPS = [
  'auth',
  'users',
  'admin',
  'realtime',
  'graphql',
  'worker-email',
  'worker-logs',
  'media',
  'worker-media',
] as const;

/** Every app with an image: the Node apps, and the web app's static files (the Dockerfile's `web` target). */
export const IMAGE_APPS = [...REQUIRED_APPS, 'web'] as const;

/** Name of the container port that serves `/health` and `/ready`: `http` for APIs, `probe` for workers. */
export const PROBE_PORT_NAMES: readonly string[] = ['http', 'probe'];

/** The objects a guard (a model class's `is`) accepts, typed by it. */
export function ofType<T>(objects: readonly RenderedObject[], guard: (value: unknown) => value is T): T[] {
  const matches: T[] = [];
  for (const { body } of objects) if (guard(body)) matches.push(body);
  return matches;
}

/** The object of that name in the platform namespace, if rendered. */
export function named<T extends { metadata?: { name?: string; namespace?: string } }>(
  list: readonly T[],
  name: string,
): T | undefined {
  return list.find((o) => o.metadata?.name === name && o.metadata.namespace === PLATFORM_NAMESPACE);
}

/** The Deployment's app container (or its only container). */
export function appContainer(deployment: IDeployment): IContainer | undefined {
  const containers = deployment.spec?.template.spec?.containers ?? [];
  return (
    containers.find((c) => c.name === APP_CONTAINER) ?? (containers.length === 1 ? containers[0] : undefined)
  );
}

/** The container port a probe or Service refers to, by name or by number. */
export function containerPort(
  container: IContainer,
  ref: string | number | undefined,
): IContainerPort | undefined {
  return (container.ports ?? []).find((p) =>
    typeof ref === 'number' ? p.containerPort === ref : p.name === ref,
  );
}

/** True when every label of `selector` is on `labels`; an empty selector selects nothing here. */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  const wanted = Object.entries(selector ?? {});
  return wanted.length > 0 && wanted.every(([key, value]) => labels?.[key] === value);
}

/**
 * The environment the container starts with, as far as the manifests decide it: `envFrom` ConfigMaps in
 * order, then literal `env` values (which win, as in Kubernetes). Secrets are not rendered, so keys
 * that only they provide are absent.
 */
export function containerEnv(
  container: IContainer,
  configMaps: readonly IConfigMap[],
  namespace: string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    const map = configMaps.find((c) => c.metadata?.name === name && c.metadata?.namespace === namespace);
    Object.assign(env, map?.data ?? {});
  }
  for (const variable of container.env ?? [])
    if (variable.value !== undefined) env[variable.name] = variable.value;
  return env;
}

/** The Services in `namespace` whose selector picks the Deployment's pods. */
export function servicesSelecting(services: readonly IService[], deployment: IDeployment): IService[] {
  const labels = deployment.spec?.template.metadata?.labels;
  return services.filter(
    (s) => s.metadata?.namespace === deployment.metadata?.namespace && selects(s.spec?.selector, labels),
  );
}
