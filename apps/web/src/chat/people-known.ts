import type { ChatState } from './chat-state.js';

/**
 * The people the caller has met: direct partners, members of their groups, authors of loaded
 * messages. Members cannot read a user directory, so these are who a group can be offered to.
 */
export function knownPeople(state: ChatState, me: string): string[] {
  const ids = new Set<string>();
  for (const c of Object.values(state.conversations)) if (c.with) ids.add(c.with);
  for (const group of Object.values(state.groups)) for (const m of group.members) ids.add(m.userId);
  for (const list of Object.values(state.messages)) for (const m of list) ids.add(m.from);
  ids.delete(me);
  return [...ids];
}
