import Koa from 'koa';
import type { Logger } from '@platform/observability';
import type { HttpApp } from './create-app.js';
import { errorHandler } from './error-handler.js';
import { healthRouter, type ReadinessCheck } from './health.js';
import { requestContext } from './request-context.js';
import type { BaseState } from './state.js';

/**
 * The HTTP face of a process that serves no API (the AMQP workers): `/health` and `/ready` for the
 * kubelet and the local launcher, problem+json for anything else. `listen`/`runHttpServer` drive it
 * like any app, so a worker drains and shuts down the same way.
 */
export function createProbeApp(log: Logger, readiness: Record<string, ReadinessCheck>): HttpApp {
  const app = new Koa<BaseState>() as HttpApp;
  app.draining = { value: false };
  app.silent = true;
  const health = healthRouter(readiness, () => app.draining.value);
  app.use(requestContext(log));
  app.use(errorHandler());
  app.use(health.routes());
  return app;
}
