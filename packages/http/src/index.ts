export * from './audit.js';
export * from './auth.js';
export * from './contract-route.js';
export * from './create-app.js';
export * from './probe-app.js';
export * from './errors.js';
export * from './health.js';
export * from './rate-limit.js';
export * from './routers.js';
export * from './api-reference.js';
export * from './reference-page.js';
export * from './request-log.js';
export * from './server.js';
export * from './shutdown.js';
export * from './step-up.js';
export type * from './state.js';
export { default as Router } from '@koa/router';
// Loads @koa/bodyparser's augmentation of Koa's Request (ctx.request.body) for every service.
export type { bodyParser } from '@koa/bodyparser';
