import DataLoader from 'dataloader';
import type { Conversation, User } from '@platform/proto';
import type { Backends } from './backends.js';

/** The most ids one GetUsers call may carry (users' own limit). */
const MAX_IDS_PER_CALL = 500;

/** Batches of reads collected during one tick of an operation, one backend call per batch. */
export interface Loaders {
  /** Public profiles by id; null for ids without an account. */
  user: DataLoader<string, User | null>;
  /** The caller's conversations, asked once per operation however many fields need them. */
  conversations(): Promise<Conversation[]>;
}

export function createLoaders(
  backends: Backends,
  callOptions: () => { headers: Record<string, string> },
): Loaders {
  let conversations: Promise<Conversation[]> | undefined;
  return {
    conversations: () =>
      (conversations ??= backends.realtime
        .listConversations({}, callOptions())
        .then((answer) => answer.conversations)),
    user: new DataLoader(
      async (ids: readonly string[]) => {
        const { users } = await backends.users.getUsers({ ids: [...ids] }, callOptions());
        const byId = new Map(users.map((user) => [user.id, user]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { maxBatchSize: MAX_IDS_PER_CALL },
    ),
  };
}
