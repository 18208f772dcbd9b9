/**
 * How a user is named on screen. The API has no directory a member can read (only admins list users,
 * and group members carry names), so others are shown by a short form of their id.
 */
export function personLabel(userId: string, me: string): string {
  return userId === me ? 'You' : `User ${userId.slice(0, 8)}`;
}

/** The day a timestamp falls on, for separators ("Monday, 3 March 2025" in the reader's locale). */
export function dayOf(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}

/** Hours and minutes of a timestamp, in the reader's locale. */
export function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
