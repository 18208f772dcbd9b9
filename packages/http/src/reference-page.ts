import { createHash } from 'node:crypto';
import { escapeHtml, type JsonObject, type OpenApiDocument } from '@platform/contracts';

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; padding: 0 1rem; }
h2 { border-bottom: 2px solid #ddd; margin-top: 2.5rem; }
section.op { border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; }
h3 { font-size: 1rem; margin: .4rem 0; }
.method { display: inline-block; min-width: 4.5rem; font-weight: bold; text-transform: uppercase; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eee; vertical-align: top; }
pre { background: #f6f6f6; padding: .5rem; overflow-x: auto; font-size: 13px; }
code { background: #f3f3f3; padding: 0 .2rem; }
.muted { color: #666; }`;

/**
 * The page's policy: nothing may load or run but its own inline stylesheet, named by hash, so a
 * description that slipped past escaping still could not execute or fetch anything.
 */
export const REFERENCE_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const objects = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isObject) : []);
const entries = (value: unknown): [string, JsonObject][] =>
  isObject(value)
    ? Object.entries(value).filter((entry): entry is [string, JsonObject] => isObject(entry[1]))
    : [];

/** Text with `code` spans, as the contracts write descriptions; escaped before any markup is added. */
function prose(value: unknown): string {
  return escapeHtml(text(value)).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function schemaBlock(schema: unknown): string {
  return isObject(schema) ? `<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>` : '';
}

function contentBlocks(content: unknown): string {
  return entries(content)
    .map(([type, media]) => `<p class="muted">${escapeHtml(type)}</p>${schemaBlock(media.schema)}`)
    .join('');
}

function parameterTable(parameters: JsonObject[]): string {
  if (parameters.length === 0) return '';
  const rows = parameters.map(
    (p) => `<tr><td><code>${escapeHtml(text(p.name))}</code></td><td>${escapeHtml(text(p.in))}</td>
<td>${p.required === true ? 'required' : 'optional'}</td><td>${prose(p.description)}</td>
<td><code>${escapeHtml(JSON.stringify(p.schema ?? {}))}</code></td></tr>`,
  );
  return `<table><tr><th>parameter</th><th>in</th><th></th><th>meaning</th><th>schema</th></tr>${rows.join('')}</table>`;
}

function operationSection(path: string, method: string, op: JsonObject): string {
  const id = `op-${text(op.operationId)}`;
  const body = isObject(op.requestBody)
    ? `<h4>Request body</h4>${contentBlocks(op.requestBody.content)}`
    : '';
  const responses = entries(op.responses)
    .map(
      ([status, answer]) =>
        `<details><summary><b>${escapeHtml(status)}</b> ${prose(answer.description)}</summary>${contentBlocks(answer.content)}</details>`,
    )
    .join('');
  return `<section class="op" id="${escapeHtml(id)}">
<h3><span class="method">${escapeHtml(method)}</span> <code>${escapeHtml(path)}</code></h3>
<p>${prose(op.summary)}</p><p class="muted">${prose(op.description)}</p>
${parameterTable(objects(op.parameters))}${body}<h4>Responses</h4>${responses}</section>`;
}

/**
 * The OpenAPI document as one readable HTML page, rendered on the server: operations grouped by tag
 * (service), every piece of text from the document escaped, no script and nothing loaded from elsewhere.
 */
export function renderReferencePage(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const sections = document.tags.map((tag) => {
    const ops = operations.filter(({ op }) => Array.isArray(op.tags) && op.tags.includes(tag.name));
    const links = ops
      .map(
        ({ path, method, op }) =>
          `<li><a href="#${escapeHtml(`op-${text(op.operationId)}`)}">${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</a></li>`,
      )
      .join('');
    return `<h2 id="${escapeHtml(`tag-${tag.name}`)}">${escapeHtml(tag.name)}</h2>
<p>${prose(tag.description)}</p><ul>${links}</ul>
${ops.map(({ path, method, op }) => operationSection(path, method, op)).join('\n')}`;
  });
  const title = `${document.info.title} ${document.info.version}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${prose(document.info.description)}</p>
<p class="muted">OpenAPI ${escapeHtml(document.openapi)}; the machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</p>
<nav><ul>${document.tags.map((t) => `<li><a href="#${escapeHtml(`tag-${t.name}`)}">${escapeHtml(t.name)}</a></li>`).join('')}</ul></nav>
${sections.join('\n')}
</body></html>`;
}
