import type { Message } from '../sdk.js';

/** Merges messages into a conversation's window: by seq, the newer copy of one id winning. */
export function mergeMessages(list: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return list as Message[];
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The `listMessages` query for the window around one message (a search hit): `before` is exclusive,
 * so half a page on either side of `seq`.
 */
export function aroundQuery(seq: number, pageSize: number): { before: number; limit: number } {
  return { before: seq + Math.floor(pageSize / 2) + 1, limit: pageSize };
}

/**
 * The query for the page right after the window's newest message: the API pages backwards only, so
 * the page ending at `newest + limit` is the one that starts at `newest + 1`.
 */
export function newerQuery(newest: number, limit: number): { before: number; limit: number } {
  return { before: newest + limit + 1, limit };
}

/** A message belongs in the window only when it extends it without a gap (or the window reaches the end). */
export function extendsWindow(list: readonly Message[], seq: number, hasNewer: boolean): boolean {
  if (!hasNewer) return true;
  const newest = list.at(-1)?.seq ?? 0;
  return seq <= newest;
}
