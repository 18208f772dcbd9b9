import { useEffect } from 'react';
import type { RealtimeClient } from '@platform/client';
import type { ChatState } from './chat-state.js';

/**
 * Everyone the pages show: direct partners, group members, the authors on screen. Their presence is
 * watched (`presence.subscribe`), so every dot updates live; the SDK keeps the subscriptions across
 * reconnects and sends each id once.
 */
export function shownUsers(state: ChatState, me: string): string[] {
  const ids = new Set<string>();
  for (const c of Object.values(state.conversations)) if (c.with) ids.add(c.with);
  for (const group of Object.values(state.groups)) for (const m of group.members) ids.add(m.userId);
  const open = state.openConversation ? state.messages[state.openConversation] : undefined;
  for (const message of open ?? []) ids.add(message.from);
  ids.delete(me);
  return [...ids].sort();
}

export function usePresenceWatch(state: ChatState, realtime: RealtimeClient, me: string): void {
  const key = shownUsers(state, me).join(',');
  useEffect(() => {
    if (key !== '') realtime.subscribePresence(key.split(','));
  }, [key, realtime]);
}
