/**
 * Realtime stores message text and group names with `&`, `<` and `>` escaped to entities (as Slack's
 * API does: apps/realtime/src/chat/text.ts), so a careless client still cannot render markup. React
 * renders text, never HTML, so the app turns exactly those three back into characters for display.
 */
const DECODE: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };
const ENCODE: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Stored text as the person wrote it; a plain string, for React text nodes only. */
export function displayText(stored: string): string {
  return stored.replace(/&(?:amp|lt|gt);/g, (entity) => DECODE[entity] ?? entity);
}

/** What the server will store for `typed`: lets an acknowledged message show before its echo arrives. */
export function storedText(typed: string): string {
  return typed.replace(/[&<>]/g, (char) => ENCODE[char] ?? char);
}
