import { z } from 'zod';
import { route } from './route-contract.js';

/** The start of an OpenAPI document; the rest is described by the OpenAPI 3.1 specification itself. */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

/**
 * The API's own description, served by auth beside its other public documents (`/.well-known`): the
 * OpenAPI document, and a page that renders it for people outside production.
 */
export const REFERENCE_ROUTES = [
  route({
    service: 'auth',
    operationId: 'getOpenApiDocument',
    method: 'get',
    path: '/openapi.json',
    access: { kind: 'public' },
    summary: 'This document: every public REST route as OpenAPI 3.1',
    success: { status: 200, description: 'The OpenAPI document', schema: openApiDocumentSchema },
    errors: [],
  }),
  route({
    service: 'auth',
    operationId: 'getApiReference',
    method: 'get',
    path: '/docs',
    access: { kind: 'public' },
    summary: 'This document as a readable HTML page (not in production)',
    success: {
      status: 200,
      description: 'The reference page',
      schema: z.string(),
      contentType: 'text/html',
    },
    errors: ['not_found'],
  }),
] as const;
