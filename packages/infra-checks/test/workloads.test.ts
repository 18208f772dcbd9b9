import {
  ServiceMonitor,
  type IServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap, type IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import {
  PLATFORM_NAMESPACE,
  PROBE_PORT_NAMES,
  REQUIRED_APPS,
  appContainer,
  containerEnv,
  containerPort,
  named,
  ofType,
  selects,
  servicesSelecting,
  OVERLAYS,
} from './objects.js';
import { renderKustomization } from './render.js';

/**
 * Which path each probe must use. Liveness and startup ask `/health`, which never checks dependencies:
 * on `/ready` a database outage would make the kubelet restart every pod instead of taking them out
 * of the Service until it is back.
 */
const PROBE_PATHS = { livenessProbe: '/health', startupProbe: '/health', readinessProbe: '/ready' } as const;

describe.each(OVERLAYS)('overlays/%s workloads', (overlay) => {
  let deployments: IDeployment[];
  let services: IService[];
  let configMaps: IConfigMap[];
  let monitors: IServiceMonitor[];

  beforeAll(async () => {
    const objects = await renderKustomization(`infra/k8s/overlays/${overlay}`);
    deployments = ofType(objects, Deployment.is);
    services = ofType(objects, Service.is);
    configMaps = ofType(objects, ConfigMap.is);
    monitors = ofType(objects, ServiceMonitor.is);
  }, 30_000);

  /** The apps to check: every one the manifests must deploy. */
  const apps = (): string[] => [...REQUIRED_APPS];

  /** Problems of one app's Deployment and Service, as readable lines. */
  function appProblems(app: string): string[] {
    const deployment = named(deployments, app);
    const service = named(services, app);
    if (!deployment || !service) return [`${app}: needs a Deployment and a Service in ${PLATFORM_NAMESPACE}`];
    const container = appContainer(deployment);
    if (!container) return [`${app}: no container named app`];
    const problems: string[] = [];
    const probePort = (container.ports ?? []).find(
      (p) => p.name !== undefined && PROBE_PORT_NAMES.includes(p.name),
    );
    const metricsPort = containerPort(container, 'metrics');
    if (!probePort) problems.push(`${app}: no container port named ${PROBE_PORT_NAMES.join(' or ')}`);
    if (!metricsPort) problems.push(`${app}: no container port named metrics`);

    for (const [kind, path] of Object.entries(PROBE_PATHS)) {
      const probe = container[kind as keyof typeof PROBE_PATHS];
      // A service with a gRPC port may be made ready by grpc.health.v1 there (the same checks as /ready).
      const grpcPort = containerPort(container, 'grpc');
      if (kind === 'readinessProbe' && probe?.grpc !== undefined) {
        if (grpcPort?.containerPort !== probe.grpc.port)
          problems.push(
            `${app}: readinessProbe asks gRPC port ${probe.grpc.port}, not the grpc container port`,
          );
        continue;
      }
      const get = probe?.httpGet;
      if (!get) {
        problems.push(`${app}: ${kind} is not an HTTP GET`);
        continue;
      }
      if (get.path !== path) problems.push(`${app}: ${kind} asks ${get.path ?? '/'}, expected ${path}`);
      const port = containerPort(container, get.port);
      if (!port) problems.push(`${app}: ${kind} port ${get.port} is not a container port`);
      else if (port !== probePort)
        problems.push(`${app}: ${kind} uses port ${get.port}, not the HTTP/probe port`);
    }

    // The app listens where its ConfigMap says; the container ports must be those numbers.
    const env = containerEnv(container, configMaps, deployment.metadata?.namespace);
    if (probePort && env.PORT !== String(probePort.containerPort))
      problems.push(
        `${app}: PORT=${env.PORT} but container port ${probePort.name} is ${probePort.containerPort}`,
      );
    const grpcPort = containerPort(container, 'grpc');
    if (grpcPort && env.GRPC_PORT !== String(grpcPort.containerPort))
      problems.push(
        `${app}: GRPC_PORT=${env.GRPC_PORT} but container port grpc is ${grpcPort.containerPort}`,
      );
    if (metricsPort && env.METRICS_PORT !== String(metricsPort.containerPort))
      problems.push(
        `${app}: METRICS_PORT=${env.METRICS_PORT} but container port metrics is ${metricsPort.containerPort}`,
      );

    if (!selects(service.spec?.selector, deployment.spec?.template.metadata?.labels))
      problems.push(`${app}: Service selector does not match the Deployment's pod labels`);
    for (const port of service.spec?.ports ?? []) {
      if (!containerPort(container, port.targetPort ?? port.port))
        problems.push(
          `${app}: Service port ${port.name ?? port.port} targets ${port.targetPort}, not a container port`,
        );
    }
    return problems;
  }

  it('gives every app a Deployment and a Service, probing /health and /ready on the ports it serves', () => {
    expect(apps().flatMap(appProblems)).toEqual([]);
  });

  it('serves gRPC where the stack does (auth, users, admin, realtime) on a grpc port of the Service', () => {
    const serving = apps().filter((app) => {
      const deployment = named(deployments, app);
      const container = deployment && appContainer(deployment);
      return container !== undefined && containerPort(container, 'grpc') !== undefined;
    });
    expect(serving.sort()).toEqual(['admin', 'auth', 'realtime', 'users']);
    for (const app of serving)
      expect({ app, grpc: named(services, app)?.spec?.ports?.some((p) => p.name === 'grpc') }).toEqual({
        app,
        grpc: true,
      });
  });

  it('selects every Deployment with exactly one Service of its namespace', () => {
    const problems = deployments
      .filter((d) => d.metadata?.namespace === PLATFORM_NAMESPACE)
      .map((d) => [d.metadata?.name, servicesSelecting(services, d).length] as const)
      .filter(([, count]) => count !== 1)
      .map(([name, count]) => `${name}: selected by ${count} Services`);
    expect(problems).toEqual([]);
  });

  it('scrapes, with each ServiceMonitor, a named port of the Service it selects', () => {
    const problems = monitors.flatMap((monitor) => {
      const name = monitor.metadata?.name ?? '?';
      const namespace = monitor.metadata?.namespace;
      const targets = services.filter(
        (s) =>
          s.metadata?.namespace === namespace &&
          selects(monitor.spec.selector.matchLabels, s.metadata?.labels),
      );
      if (targets.length === 0) return [`ServiceMonitor ${name}: selects no Service`];
      return (monitor.spec.endpoints ?? []).flatMap((endpoint) =>
        targets
          .filter((s) => !(s.spec?.ports ?? []).some((p) => p.name !== undefined && p.name === endpoint.port))
          .map(
            (s) => `ServiceMonitor ${name}: Service ${s.metadata?.name} has no port named ${endpoint.port}`,
          ),
      );
    });
    expect(problems).toEqual([]);
  });

  it('monitors every app', () => {
    const monitored = monitors.map((m) => m.metadata?.name);
    expect(apps().filter((app) => !monitored.includes(app))).toEqual([]);
  });
});
