import { i18n } from '../i18n/i18n.js';

/**
 * How a user is named on screen. The API has no directory a member can read (only admins list users,
 * and group members carry names), so others are shown by a short form of their id.
 */
export function personLabel(userId: string, me: string): string {
  return userId === me ? i18n.t('chat.you') : i18n.t('chat.user', { id: userId.slice(0, 8) });
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
