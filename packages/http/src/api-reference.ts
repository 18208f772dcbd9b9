import { buildOpenApiDocument, type OpenApiDocument } from '@platform/contracts';
import { Errors } from './errors.js';
import { REFERENCE_PAGE_CSP, renderReferencePage } from './reference-page.js';
import { publicRouter } from './routers.js';

export interface ApiReferenceOptions {
  /** Serve the HTML page at /docs; off in production, where /docs answers 404 like any unknown path. */
  page: boolean;
  document?: OpenApiDocument;
}

/**
 * GET /openapi.json (the API's OpenAPI 3.1 document, built once from the contracts) and GET /docs (the
 * same as a page for people). Both are public: they describe routes, never data.
 */
export function apiReferenceRouter(options: ApiReferenceOptions) {
  const router = publicRouter();
  const document = options.document ?? buildOpenApiDocument();
  const json = JSON.stringify(document);
  const page = options.page ? renderReferencePage(document) : undefined;

  router.get('/openapi.json', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.type = 'application/json';
    ctx.body = json;
  });

  router.get('/docs', (ctx) => {
    if (page === undefined) throw Errors.notFound();
    ctx.set('Content-Security-Policy', REFERENCE_PAGE_CSP);
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page;
  });

  return router;
}
