import { useEffect, useRef, type Dispatch } from 'react';
import type { RestApi } from '@platform/client';
import { PEOPLE_MAX } from '@platform/contracts';
import type { ChatAction, ChatState } from './chat-state.js';

/** Everyone the chat may show by name: direct partners, group members, authors of loaded messages. */
export function peopleShown(state: ChatState, me: string): string[] {
  const ids = new Set<string>();
  for (const c of Object.values(state.conversations)) {
    if (c.with) ids.add(c.with);
    if (c.lastMessage) ids.add(c.lastMessage.from);
  }
  for (const group of Object.values(state.groups)) for (const m of group.members) ids.add(m.userId);
  for (const list of Object.values(state.messages)) for (const m of list) ids.add(m.from);
  ids.delete(me);
  return [...ids].sort();
}

/**
 * Names and avatars of the people on screen (`GET /people`), each asked for once, in batches; a
 * failed batch is asked for again with the next change.
 */
export function usePeopleLookup(
  state: ChatState,
  api: RestApi,
  me: string,
  dispatch: Dispatch<ChatAction>,
): void {
  const asked = useRef(new Set<string>());
  const key = peopleShown(state, me).join(',');
  useEffect(() => {
    const ids = key.split(',').filter((id) => id !== '' && !asked.current.has(id));
    for (const id of ids) asked.current.add(id);
    for (let i = 0; i < ids.length; i += PEOPLE_MAX) {
      const batch = ids.slice(i, i + PEOPLE_MAX);
      api
        .listPeople({ query: { ids: batch.join(',') } })
        .then((answer) => dispatch({ type: 'people', people: answer.people }))
        .catch(() => {
          for (const id of batch) asked.current.delete(id);
        });
    }
  }, [key, api, dispatch]);
}
