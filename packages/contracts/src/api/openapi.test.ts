import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { EDGE_ROUTES, routeFor } from '../routes.js';
import { API_ROUTES } from './api-routes.js';
import { buildOpenApiDocument, errorsOf } from './openapi.js';

/**
 * The validator is an ES module that reads its meta-schemas through `import.meta.url`, which the
 * CommonJS test build cannot give it, so it runs in a child Node with the document on stdin.
 */
function validate(document: unknown): { valid: boolean; errors?: unknown } {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const result = await new Validator().validate(JSON.parse(input));
    process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors, version: new Validator().version }));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: path.join(__dirname, '..', '..'),
    input: JSON.stringify(document),
    encoding: 'utf8',
  });
  return JSON.parse(output) as { valid: boolean; errors?: unknown };
}

const document = buildOpenApiDocument();
const operations = Object.entries(document.paths).flatMap(([p, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ path: p, method, op })),
);

describe('buildOpenApiDocument', () => {
  it('builds a document that an OpenAPI 3.1 validator accepts', () => {
    const result = validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  }, 20_000);

  it('covers every edge route but the socket, and documents nothing the edge does not send to its service', () => {
    const http = EDGE_ROUTES.filter((r) => !r.websocket);
    const uncovered = http.filter(
      (edge) => !API_ROUTES.some((r) => routeFor(r.path)?.prefix === edge.prefix),
    );
    expect(uncovered).toEqual([]);
    const misplaced = API_ROUTES.filter((r) => {
      const edge = routeFor(r.path);
      return !edge || edge.websocket || edge.service !== r.service;
    }).map((r) => `${r.method} ${r.path}`);
    expect(misplaced).toEqual([]);
    expect(Object.keys(document.paths).every((p) => API_ROUTES.some((r) => r.path === p))).toBe(true);
  });

  it('has one operation per contract, each with a unique operationId and a tag naming its service', () => {
    expect(operations).toHaveLength(API_ROUTES.length);
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const route of API_ROUTES)
      expect(document.paths[route.path]?.[route.method]?.tags).toEqual([route.service]);
  });

  it('declares every path parameter of every path', () => {
    const problems = operations.flatMap(({ path: p, method, op }) => {
      const inPath = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (Array.isArray(op.parameters) ? op.parameters : [])
        .filter((x: { in: string }) => x.in === 'path')
        .map((x: { name: string }) => x.name);
      return inPath.join() === declared.join() ? [] : [`${method} ${p}: ${declared.join()}`];
    });
    expect(problems).toEqual([]);
  });

  it('answers every refusal as problem+json with the shared Problem schema and the codes it may carry', () => {
    const route = API_ROUTES.find((r) => r.operationId === 'login');
    const op = document.paths['/login']?.post;
    expect(route && errorsOf(route)).toContain('invalid_credentials');
    expect(op?.responses).toMatchObject({
      '401': {
        content: {
          'application/problem+json': {
            schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { properties: { code: {} } }] },
          },
        },
      },
      '423': { description: expect.stringContaining('account_locked') },
    });
  });

  it('asks for the bearer token exactly where a route is not public, and names the roles', () => {
    const expected = { public: [], 'signed-in-or-signed-url': [{ bearer: [] }, {}] } as Record<
      string,
      unknown
    >;
    for (const route of API_ROUTES) {
      const op = document.paths[route.path]?.[route.method];
      expect({ route: route.operationId, security: op?.security }).toEqual({
        route: route.operationId,
        security: expected[route.access.kind] ?? [{ bearer: [] }],
      });
    }
    expect(document.paths['/media/{id}/content']?.get?.security).toEqual([{ bearer: [] }, {}]);
    expect(document.paths['/admin/users']?.get?.['x-roles']).toEqual(['admin', 'manager']);
    expect(document.components).toMatchObject({
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    });
  });

  it('is the same document every time (pure)', () => {
    expect(JSON.stringify(buildOpenApiDocument())).toBe(JSON.stringify(document));
  });
});
