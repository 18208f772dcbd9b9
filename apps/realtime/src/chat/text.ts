/**
 * Message text as stored and sent: safe to drop into HTML as element content, whatever the client.
 *
 * - `&`, `<` and `>` are escaped to entities (as Slack's API does), so `<script>` arrives as the
 *   characters `&lt;script&gt;` and can never become markup in a client that forgets to escape;
 * - control characters are removed (tab and newline stay), and so are the bidirectional overrides
 *   and isolates that make text display differently from what it is ("Trojan Source");
 * - the result is NFC normalised and trimmed; the length limit counts code points of that cleaned
 *   text (not of the raw input), so an emoji costs one and escaping never pushes a message over it.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are removed
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const UNESCAPES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

export type TextCheck = { ok: true; text: string } | { ok: false; reason: string };

export function displayText(raw: string, maxLength: number): TextCheck {
  const checked = cleanText(raw, maxLength);
  return checked.ok ? { ok: true, text: escapeText(checked.text) } : checked;
}

/** The first half of `displayText`: cleaned and length-checked, not yet escaped (moderation reads this). */
export function cleanText(raw: string, maxLength: number): TextCheck {
  const cleaned = raw.normalize('NFC').replace(CONTROL, '').trim();
  if (cleaned.length === 0) return { ok: false, reason: 'text must not be empty' };
  let length = 0;
  for (const _ of cleaned) if (++length > maxLength) break;
  if (length > maxLength) return { ok: false, reason: `text must be at most ${maxLength} characters` };
  return { ok: true, text: cleaned };
}

/** The second half of `displayText`: `&`, `<`, `>` as entities. */
export function escapeText(cleaned: string): string {
  return cleaned.replace(/[&<>]/g, (char) => ESCAPES[char] ?? char);
}

/** The inverse of `escapeText`, for work on the words themselves (summaries, sentiment). */
export function unescapeText(stored: string): string {
  return stored.replace(/&lt;|&gt;|&amp;/g, (entity) => UNESCAPES[entity] ?? entity);
}

/**
 * One emoji (or a short sequence of them: skin tones, ZWJ families, flags), up to 32 UTF-16 units.
 * Reactions are emoji only, so a reaction can never carry text into other users' screens.
 */
const EMOJI =
  /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u200d|\ufe0f|\u20e3|[#*0-9])+$/u;

export function isEmoji(value: string): boolean {
  return (
    value.length > 0 &&
    value.length <= 32 &&
    EMOJI.test(value) &&
    /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(value)
  );
}
