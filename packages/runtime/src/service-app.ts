import { RequestContext } from '@platform/db';
import { createHttpApp, type HttpApp } from '@platform/http';
import type { ServiceConfig } from './config.js';
import type { ServiceResources } from './resources.js';

/** Contract routes hold their answers to the contract everywhere but production, and fail under test. */
const ANSWER_CHECK = { production: 'off', development: 'log', test: 'fail' } as const;

/**
 * The kit's app configured from a service's config, with MikroORM's request context around every
 * route: services hold the global `orm.em`, which resolves to this request's fork inside it.
 */
export function createServiceApp(resources: ServiceResources, config: ServiceConfig): HttpApp {
  return createHttpApp({
    ...resources,
    shipRequestLog: resources.shipRequestLog,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    bodyLimit: config.BODY_LIMIT,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    around: [(_ctx, next) => RequestContext.create(resources.orm.em, next)],
    answerCheck: ANSWER_CHECK[config.NODE_ENV],
  });
}
