const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * The one HTML escape, for every page and mail the platform renders (mail templates, the API
 * reference page, the local inbox): text for an HTML text node or a quoted attribute value. Quotes
 * are escaped too, so it is safe for `href="..."`: a URL that passed validation can still carry them.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}
