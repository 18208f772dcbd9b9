import type { Message } from '../sdk.js';

/** message id -> the emoji the caller reacted with. */
export type MyReactions = Record<string, Record<string, boolean>>;

/**
 * The caller's own reactions as the messages of an answer to the caller tell them (history, sync, the
 * conversation list): a message with reactions names the caller's in `myReactions` (maybe none), one
 * without reactions has none of them. A message with reactions but no `myReactions` (an archived one)
 * leaves what is known alone.
 */
export function withMyReactions(known: MyReactions, messages: readonly (Message | null)[]): MyReactions {
  let next = known;
  for (const message of messages) {
    if (message === null) continue;
    const reacted = Object.keys(message.reactions).length > 0;
    if (message.myReactions === undefined && reacted) continue;
    const mine = Object.fromEntries((message.myReactions ?? []).map((emoji) => [emoji, true]));
    if (next === known) next = { ...known };
    next[message.id] = mine;
  }
  return next;
}
