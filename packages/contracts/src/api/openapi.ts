import { z } from 'zod';
import { ERROR_CATALOGUE, statusOf, type HttpErrorCode } from '../errors.js';
import { ROLES, can } from '../roles.js';
import { SERVICES, type ServiceName } from '../routes.js';
import { API_ROUTES } from './api-routes.js';
import type { Access, Outcome, RouteContract } from './route-contract.js';

/** A JSON Schema or OpenAPI object; the validator in the tests checks the whole document's shape. */
export type JsonObject = { [key: string]: unknown };

/** The OpenAPI 3.1 document, as served at `GET /openapi.json`. */
export interface OpenApiDocument extends JsonObject {
  openapi: string;
  info: { title: string; version: string; description: string };
  tags: { name: ServiceName; description: string }[];
  paths: Record<string, Record<string, JsonObject>>;
  components: JsonObject;
}

const SERVICE_DESCRIPTIONS: Record<ServiceName, string> = {
  auth: 'Accounts, sign-in, sessions, two-factor, OAuth, signing keys and this reference',
  users: "The signed-in user's profile and data export",
  admin: 'The user directory, its administration and the audit log',
  realtime: 'Notifications and chat over REST; the socket (GET /ws) is described in docs/api.md',
  media: 'Uploaded files, images, audio and video: stored, checked and processed in the background',
  graphql: 'The GraphQL gateway at /graphql (queries, mutations, graphql-ws subscriptions); see docs/api.md',
};

const PROBLEM = '#/components/schemas/Problem';
const BEARER = 'bearer';

const HTTP_CODES = (Object.keys(ERROR_CATALOGUE) as (keyof typeof ERROR_CATALOGUE)[]).filter(
  (code): code is HttpErrorCode => ERROR_CATALOGUE[code].status !== null,
);

/** The RFC 9457 body of every refusal (`problemBody` in problem.ts), shared by every error response. */
const problemSchema: JsonObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', description: '`urn:platform:problem:<code>`' },
    title: { type: 'string', description: "The code's title from the catalogue" },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'For people; switch on `code`' },
    code: { type: 'string', enum: HTTP_CODES },
    requestId: { type: 'string', description: 'As in the X-Request-Id header' },
    errors: {
      type: 'array',
      description: 'With validation_failed: one entry per refused field',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

/** JSON Schema of a zod schema, as a request (`input`: defaults optional) or an answer (`output`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  // Transforms and refinements have no JSON Schema; `any` keeps the shape they are attached to.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return rest;
}

/** Roles the RBAC matrix grants an access rule today. */
export function rolesFor(access: Access): string[] {
  if (access.kind === 'public') return [];
  if (access.kind === 'signed-in' || access.kind === 'signed-in-or-signed-url') return [...ROLES];
  return ROLES.filter((role) => can(role, access.permission));
}

function whoMayCall(access: Access): string {
  if (access.kind === 'public') return 'Anyone.';
  if (access.kind === 'signed-in') return 'Any signed-in user.';
  if (access.kind === 'signed-in-or-signed-url')
    return 'Any signed-in user, or anyone with a signed URL (`exp` and `sig` as the platform handed them out).';
  return `Roles: ${rolesFor(access).join(', ')} (permission \`${access.permission}\`).`;
}

/** Codes a route answers by its kind alone: limits, token checks, guards, input validation. */
export function impliedErrors(route: RouteContract): HttpErrorCode[] {
  const codes: HttpErrorCode[] = ['rate_limited', 'internal_error'];
  if (route.access.kind !== 'public')
    codes.push('unauthorized', 'invalid_token', 'token_expired', 'token_revoked');
  if (route.access.kind === 'permission') codes.push('forbidden');
  if (route.params || route.query || route.body) codes.push('validation_failed');
  if (route.body) codes.push('invalid_json', 'payload_too_large', 'unsupported_media_type');
  if (route.upload) codes.push('payload_too_large', 'unsupported_media_type');
  return codes;
}

/** Every code a route may answer, each once, in catalogue order. */
export function errorsOf(route: RouteContract): HttpErrorCode[] {
  const codes = new Set([...route.errors, ...impliedErrors(route)]);
  return HTTP_CODES.filter((code) => codes.has(code));
}

function parameters(route: RouteContract): JsonObject[] {
  const from = (schema: z.ZodType | undefined, where: 'path' | 'query' | 'header') => {
    if (!schema) return [];
    const object = jsonSchema(schema, 'input');
    const properties = (object.properties ?? {}) as Record<string, JsonObject>;
    const required = new Set(Array.isArray(object.required) ? object.required : []);
    return Object.entries(properties).map(([name, property]) => {
      const { description, ...schemaOnly } = property;
      return {
        name,
        in: where,
        // A path parameter is always required (OpenAPI 3.1, 4.8.12.1).
        required: where === 'path' || required.has(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: schemaOnly,
      };
    });
  };
  return [...from(route.params, 'path'), ...from(route.query, 'query'), ...from(route.headers, 'header')];
}

function response(outcome: Outcome): JsonObject {
  if (!outcome.schema) return { description: outcome.description };
  return {
    description: outcome.description,
    content: {
      [outcome.contentType ?? 'application/json']: { schema: jsonSchema(outcome.schema, 'output') },
    },
  };
}

function errorResponses(route: RouteContract): Record<string, JsonObject> {
  const byStatus = new Map<number, HttpErrorCode[]>();
  for (const code of errorsOf(route))
    byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      String(status),
      {
        description: codes.map((code) => `\`${code}\`: ${ERROR_CATALOGUE[code].title}`).join('; '),
        content: {
          'application/problem+json': {
            schema: { allOf: [{ $ref: PROBLEM }, { properties: { code: { enum: codes } } }] },
          },
        },
      },
    ]),
  );
}

function securityOf(access: Access): JsonObject[] {
  if (access.kind === 'public') return [];
  // The empty requirement: a signed URL needs no token.
  if (access.kind === 'signed-in-or-signed-url') return [{ [BEARER]: [] }, {}];
  return [{ [BEARER]: [] }];
}

function operation(route: RouteContract): JsonObject {
  const roles = rolesFor(route.access);
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: [route.description, whoMayCall(route.access)].filter(Boolean).join('\n\n'),
    tags: [route.service],
    security: securityOf(route.access),
    'x-roles': roles,
    ...(route.params || route.query || route.headers ? { parameters: parameters(route) } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
          },
        }
      : {}),
    ...(route.upload
      ? {
          requestBody: {
            required: true,
            content: { 'multipart/form-data': { schema: jsonSchema(route.upload, 'input') } },
          },
        }
      : {}),
    responses: {
      [String(route.success.status)]: response(route.success),
      ...Object.fromEntries((route.alternatives ?? []).map((o) => [String(o.status), response(o)])),
      ...errorResponses(route),
    },
  };
}

/**
 * The OpenAPI 3.1 document of `routes` (every public REST route by default). Pure: the same contracts
 * give the same document, so services can build it once at start.
 */
export function buildOpenApiDocument(routes: readonly RouteContract[] = API_ROUTES): OpenApiDocument {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) paths[route.path] = { ...paths[route.path], [route.method]: operation(route) };
  return {
    openapi: '3.1.1',
    info: {
      title: 'Platform API',
      version: '1.0.0',
      description:
        'Every public REST route of the platform, as the edge serves it. Errors are ' +
        '`application/problem+json`; switch on `code`. The WebSocket protocol (`GET /ws`) is in docs/api.md.',
    },
    tags: SERVICES.map((name) => ({ name, description: SERVICE_DESCRIPTIONS[name] })),
    paths,
    components: {
      schemas: { Problem: problemSchema },
      securitySchemes: {
        [BEARER]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An access token from POST /login: a JWT signed with EdDSA (default) or ES256, its key named by ' +
            '`kid` and published at /.well-known/jwks.json.',
        },
      },
    },
  };
}
