import { createHash } from 'node:crypto';
import { buildOpenApiDocument, route, type RouteContract } from '@platform/contracts';
import { REFERENCE_PAGE_CSP, renderReferencePage } from './reference-page.js';

const hostile: RouteContract = route({
  service: 'users',
  operationId: 'hostile',
  method: 'get',
  path: '/profile/{id}',
  access: { kind: 'public' },
  summary: '<script>alert(1)</script> "quoted" & \'single\'',
  description: '<img src=x onerror=alert(1)> `<b>code</b>`',
  success: { status: 200, description: '</details><iframe src="https://example.com">' },
  errors: [],
});

describe('renderReferencePage', () => {
  const page = renderReferencePage(buildOpenApiDocument());

  it('lists every operation of the document under its service', () => {
    for (const [path, methods] of Object.entries(buildOpenApiDocument().paths))
      for (const method of Object.keys(methods))
        expect(page).toContain(`${method.toUpperCase()} ${path.replace(/&/g, '&amp;')}`);
    expect(page).toContain('<h2 id="tag-realtime">realtime</h2>');
  });

  it('escapes every piece of text from the document', () => {
    const html = renderReferencePage(buildOpenApiDocument([hostile]));
    expect(html).not.toMatch(/<script|<img|<iframe|<b>code/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;');
    expect(html).toContain('<code>&lt;b&gt;code&lt;/b&gt;</code>');
  });

  it('has no script and loads nothing: no external address in any src or href', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/\s(?:src|href)="(?!#|\/openapi\.json")/);
    expect(page).not.toMatch(/https?:\/\//);
  });

  it('allows exactly its own stylesheet, by hash, and nothing else', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(REFERENCE_PAGE_CSP).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
    );
  });
});
