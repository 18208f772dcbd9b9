import { i18n } from '../i18n/i18n.js';

/**
 * How a user is named on screen: their display name where the app has learnt it (group member lists),
 * else a short form of their id (members cannot read a user directory).
 */
export function personLabel(userId: string, me: string, names: Record<string, string> = {}): string {
  if (userId === me) return i18n.t('chat.you');
  return names[userId] ?? i18n.t('chat.user', { id: userId.slice(0, 8) });
}

/** The day a timestamp falls on, for separators ("Monday, 3 March 2025" in the reader's locale). */
export function dayOf(iso: string): string {
  return new Date(iso).toLocaleDateString(i18n.language, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}

/** Hours and minutes of a timestamp, in the reader's locale. */
export function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' });
}

/** Date and time, for a full timestamp (a title, a search hit). */
export function dateTimeOf(iso: string): string {
  return new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
}
