import { describe, expect, it } from 'vitest';
import type { Conversation, Media, Message } from '../sdk.js';
import { processingMedia } from './attachment-news.js';
import { chatReducer, initialChatState, type ChatAction, type ChatState } from './chat-state.js';

const me = '00000000-0000-4000-8000-000000000001';
const bob = '00000000-0000-4000-8000-000000000002';
const conversationId = '00000000-0000-4000-8000-0000000000c1';
const pictureId = '00000000-0000-4000-8000-0000000000f1';
const notesId = '00000000-0000-4000-8000-0000000000f2';

const processing = (id: string, name: string): Media => ({
  id,
  name,
  mime: name.endsWith('.png') ? 'image/png' : 'text/plain',
  size: 1234,
  sha256: 'a'.repeat(64),
  purpose: 'attachment',
  status: 'processing',
  url: `/media/${id}/content?exp=1&sig=old`,
  createdAt: '2026-12-07T10:00:00.000Z',
});
const picture = processing(pictureId, 'sunset.png');
const readyPicture: Media = {
  ...picture,
  status: 'ready',
  width: 640,
  height: 480,
  thumbnailUrl: `/media/${pictureId}/thumbnail?exp=2&sig=new`,
};
const notes = processing(notesId, 'notes.txt');

const message = (seq: number, attachments: Media[] = []): Message => ({
  id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  conversationId,
  seq,
  to: me,
  from: bob,
  text: seq === 2 ? 'The view from here' : `message ${seq}`,
  at: new Date(Date.UTC(2026, 11, 7, 10, seq)).toISOString(),
  editedAt: null,
  deleted: false,
  reactions: {},
  ...(attachments.length > 0 ? { attachments } : {}),
});
const withPicture = message(2, [picture, notes]);

const direct: Conversation = {
  id: conversationId,
  kind: 'direct',
  with: bob,
  name: null,
  role: null,
  lastSeq: 2,
  lastReadSeq: 2,
  unread: 0,
  lastMessage: withPicture,
};

const news = (attachment: Media): ChatAction => ({
  type: 'frame',
  me,
  frame: { type: 'chat.attachment', id: withPicture.id, conversationId, seq: 2, attachment },
});
const run = (...actions: ChatAction[]) => actions.reduce<ChatState>(chatReducer, initialChatState);
const filesOf = (state: ChatState) => state.messages[conversationId]?.at(-1)?.attachments;

describe('attachments turning ready by their news', () => {
  it('shows the thumbnail once chat.attachment says the picture is ready, in the log and the list', () => {
    const state = run(
      { type: 'conversations', items: [direct] },
      { type: 'history', conversationId, messages: [message(1), withPicture], hasOlder: false },
      news(readyPicture),
    );
    expect(filesOf(state)).toEqual([readyPicture, notes]);
    expect(state.conversations[conversationId]?.lastMessage?.attachments?.[0]).toEqual(readyPicture);
    // Only the file still processing is left to hear about.
    expect(processingMedia(state)).toEqual([notesId]);
  });

  it('keeps a picture ready when an older copy of its message comes after the news', () => {
    const state = run(
      { type: 'history', conversationId, messages: [message(1), withPicture], hasOlder: false },
      news(readyPicture),
      // The sender's echo, then a page the server read before the worker committed.
      { type: 'frame', me, frame: { type: 'chat.message', ...withPicture } },
      { type: 'history', conversationId, messages: [withPicture], hasOlder: false },
      { type: 'conversations', items: [direct] },
    );
    expect(filesOf(state)?.[0]).toEqual(readyPicture);
    expect(state.conversations[conversationId]?.lastMessage?.attachments?.[0]).toEqual(readyPicture);
  });

  it('settles a message of mine that the server has not acknowledged yet, and keeps it settled after the ack', () => {
    const sent = run(
      { type: 'conversations', items: [{ ...direct, lastMessage: null }] },
      {
        type: 'pending',
        message: {
          clientId: 'web-1',
          target: { conversationId },
          text: 'mine',
          at: '2026-12-07T10:03:00.000Z',
          attachments: [picture],
        },
      },
      news(readyPicture),
    );
    expect(sent.pending[0]?.attachments).toEqual([readyPicture]);
    const acked = chatReducer(sent, {
      type: 'frame',
      me,
      frame: {
        type: 'chat.ack',
        clientId: 'web-1',
        id: message(3).id,
        conversationId,
        seq: 3,
        at: message(3).at,
      },
    });
    expect(acked.conversations[conversationId]?.lastMessage?.attachments).toEqual([readyPicture]);
  });

  it('takes a failed file as settled too, and ignores an answer that still says processing', () => {
    const failed: Media = { ...notes, status: 'failed', failureReason: 'unreadable' };
    const loaded = run({ type: 'history', conversationId, messages: [withPicture], hasOlder: false });
    const reread = chatReducer(loaded, { type: 'media', items: [picture, failed] });
    expect(filesOf(reread)).toEqual([picture, failed]);
    expect(processingMedia(reread)).toEqual([pictureId]);
    // Nothing new: the same state, so nothing re-renders.
    expect(chatReducer(reread, { type: 'media', items: [picture] })).toBe(reread);
  });
});
