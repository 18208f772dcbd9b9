import type { Media, Message } from '../sdk.js';
import type { ChatState, PendingMessage } from './chat-state.js';

/**
 * How a file's readiness reaches the chat: worker-media finishes it, realtime sends `chat.attachment`
 * with the fresh metadata, and it is laid over every copy of a message that still says `processing`.
 * No poll: a socket that was closed missed frames (`chat.sync` replays messages, not these), so after
 * each (re)connect the files still processing here are read once (`processingMedia`).
 */

/** A message with the settled copies of its files that are known here in place of `processing` ones. */
export function withSettledFiles<M extends { attachments?: Media[] | undefined }>(
  message: M,
  settled: Readonly<Record<string, Media>>,
): M {
  const files = message.attachments;
  if (!files?.some((file) => file.status === 'processing' && settled[file.id] !== undefined)) return message;
  return {
    ...message,
    attachments: files.map((file) => (file.status === 'processing' ? (settled[file.id] ?? file) : file)),
  };
}

/** The same list when nothing in it changed, so React keeps what it rendered. */
function settleAll<M extends { attachments?: Media[] | undefined }>(
  list: M[],
  settled: Readonly<Record<string, Media>>,
): M[] {
  let changed = false;
  const next = list.map((message) => {
    const fresh = withSettledFiles(message, settled);
    if (fresh !== message) changed = true;
    return fresh;
  });
  return changed ? next : list;
}

/**
 * Files that finished (a `chat.attachment` frame, or a re-read after a reconnect): remembered by id, so
 * an older copy arriving later (the sender's echo, a page read before the worker committed) is settled
 * too, and put into every loaded message, last message and unacknowledged message carrying them.
 */
export function withSettledMedia(state: ChatState, items: readonly Media[]): ChatState {
  const finished = items.filter((media) => media.status !== 'processing');
  if (finished.length === 0) return state;
  const settledMedia = { ...state.settledMedia };
  for (const media of finished) settledMedia[media.id] = media;
  const messages = Object.fromEntries(
    Object.entries(state.messages).map(([id, list]) => [id, settleAll(list, settledMedia)]),
  );
  const conversations = Object.fromEntries(
    Object.entries(state.conversations).map(([id, conversation]) => {
      const last = conversation.lastMessage;
      const fresh = last === null ? null : withSettledFiles(last, settledMedia);
      return [id, fresh === last ? conversation : { ...conversation, lastMessage: fresh }];
    }),
  );
  const pending: PendingMessage[] = settleAll(state.pending, settledMedia);
  return { ...state, settledMedia, messages, conversations, pending };
}

/** The ids of the files shown as still processing: what a socket that was closed may have missed news of. */
export function processingMedia(state: ChatState): string[] {
  const carriers: { attachments?: Media[] | undefined }[] = [
    ...Object.values(state.messages).flat(),
    ...Object.values(state.conversations).flatMap((c) => (c.lastMessage ? [c.lastMessage] : [])),
    ...state.pending,
  ];
  const ids = carriers.flatMap((m: { attachments?: Media[] | undefined }) =>
    (m.attachments ?? []).filter((file) => file.status === 'processing').map((file) => file.id),
  );
  return [...new Set(ids)];
}

/** Each message of `list` as `withSettledFiles` makes it (history pages, the conversation list). */
export function settledMessages(list: readonly Message[], settled: Readonly<Record<string, Media>>) {
  return list.map((message) => withSettledFiles(message, settled));
}
