import { describe, expect, it } from 'vitest';
import type { Conversation, Message, ServerFrame } from '../sdk.js';
import {
  chatReducer,
  initialChatState,
  unreadNotices,
  type ChatAction,
  type ChatState,
} from './chat-state.js';
import { aroundQuery, newerQuery } from './message-window.js';

const me = '00000000-0000-4000-8000-000000000001';
const bob = '00000000-0000-4000-8000-000000000002';
const conversationId = '00000000-0000-4000-8000-0000000000c1';

const message = (seq: number, from = bob): Message => ({
  id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  conversationId,
  seq,
  to: from === bob ? me : bob,
  from,
  text: `message ${seq}`,
  at: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(),
  editedAt: null,
  deleted: false,
  reactions: {},
});

const direct: Conversation = {
  id: conversationId,
  kind: 'direct',
  with: bob,
  name: null,
  role: null,
  lastSeq: 100,
  lastReadSeq: 100,
  unread: 0,
  lastMessage: null,
};

const frame = (f: ServerFrame): ChatAction => ({ type: 'frame', frame: f, me });
const run = (...actions: ChatAction[]) => actions.reduce<ChatState>(chatReducer, initialChatState);

describe('the chat state', () => {
  it('ticks my messages delivered, then read, up to the seq the other member reached', () => {
    const state = run(
      { type: 'conversations', items: [direct] },
      { type: 'history', conversationId, messages: [message(1, me), message(2, me)], hasOlder: false },
      frame({ type: 'receipt', id: message(1).id, conversationId, seq: 1, userId: bob, status: 'read' }),
      frame({ type: 'receipt', id: message(2).id, conversationId, seq: 2, userId: bob, status: 'delivered' }),
    );
    expect(state.read[conversationId]).toBe(1);
    expect(state.delivered[conversationId]).toBe(2);
    // My own receipts (another tab reading) change nothing.
    const mine = chatReducer(
      state,
      frame({ type: 'receipt', id: message(2).id, conversationId, seq: 2, userId: me, status: 'read' }),
    );
    expect(mine.read[conversationId]).toBe(1);
  });

  it('counts reactions for everyone and remembers mine', () => {
    const id = message(1).id;
    const state = run(
      { type: 'history', conversationId, messages: [message(1)], hasOlder: false },
      frame({ type: 'reaction', id, conversationId, seq: 1, emoji: '🎉', userId: bob, on: true, count: 1 }),
      frame({ type: 'reaction', id, conversationId, seq: 1, emoji: '🎉', userId: me, on: true, count: 2 }),
    );
    expect(state.messages[conversationId]?.[0]?.reactions).toEqual({ '🎉': 2 });
    expect(state.myReactions[id]).toEqual({ '🎉': true });
  });

  it('shows my reactions as the server tells them (history, conversation list, sync), and keeps them over live copies', () => {
    const [one, two, three] = [message(1), message(2), message(3)];
    const state = run(
      {
        type: 'conversations',
        items: [{ ...direct, lastMessage: { ...three, reactions: { '👍': 1 }, myReactions: ['👍'] } }],
      },
      {
        type: 'history',
        conversationId,
        messages: [{ ...one, reactions: { '🎉': 2 }, myReactions: ['🎉'] }, two],
        hasOlder: false,
      },
      frame({
        type: 'reaction',
        id: two.id,
        conversationId,
        seq: 2,
        emoji: '👀',
        userId: me,
        on: true,
        count: 1,
      }),
    );
    expect(state.myReactions).toEqual({
      [one.id]: { '🎉': true },
      [two.id]: { '👀': true },
      [three.id]: { '👍': true },
    });
    // A copy with reactions but no word on mine (archived) changes nothing; a synced copy says what is mine now.
    const archived = chatReducer(state, frame({ type: 'chat.message', ...three, reactions: { '👍': 1 } }));
    expect(archived.myReactions[three.id]).toEqual({ '👍': true });
    const synced = chatReducer(
      archived,
      frame({ type: 'chat.message', ...three, reactions: { '👍': 1 }, myReactions: [] }),
    );
    expect(synced.myReactions[three.id]).toEqual({});
    // A later page of history is the server's word: a reaction taken back elsewhere is gone.
    const reloaded = chatReducer(synced, {
      type: 'history',
      conversationId,
      messages: [two],
      hasOlder: false,
    });
    expect(reloaded.myReactions[two.id]).toEqual({});
  });

  it('opens a window around an old message and keeps live messages out of it until it reaches the end', () => {
    const window = Array.from({ length: 50 }, (_, i) => message(i + 10));
    const state = run(
      { type: 'conversations', items: [direct] },
      { type: 'history', conversationId, messages: [message(99), message(100)], hasOlder: true },
      { type: 'history', conversationId, messages: window, hasOlder: true, replace: { hasNewer: true } },
      frame({ type: 'chat.message', ...message(101) }),
    );
    expect(state.messages[conversationId]?.map((m) => m.seq)).toEqual(window.map((m) => m.seq));
    expect(state.conversations[conversationId]?.lastSeq).toBe(101);
    expect(state.conversations[conversationId]?.unread).toBe(1);
    const caughtUp = chatReducer(state, {
      type: 'newer',
      conversationId,
      messages: [message(60), message(61)],
      hasNewer: false,
    });
    expect(caughtUp.messages[conversationId]?.at(-1)?.seq).toBe(61);
    expect(
      chatReducer(caughtUp, frame({ type: 'chat.message', ...message(62) })).messages[conversationId]?.at(-1)
        ?.seq,
    ).toBe(62);
  });

  it('keeps the notification inbox with read marks', () => {
    const notice = {
      id: 'n1',
      event: 'user.role_changed',
      message: 'You are a manager now.',
      at: '2026-01-01T00:00:00.000Z',
    };
    let state = run(
      { type: 'notices', items: [{ ...notice, id: 'n0', read: true }] },
      frame({ type: 'notification', ...notice }),
      frame({ type: 'notification', ...notice }),
    );
    expect(state.notices.map((n) => n.id)).toEqual(['n1', 'n0']);
    expect(unreadNotices(state)).toBe(1);
    state = chatReducer(state, { type: 'notice.read', id: 'n1' });
    expect(unreadNotices(state)).toBe(0);
  });

  it('asks the API for the window around a message and for the page after the newest', () => {
    expect(aroundQuery(500, 50)).toEqual({ before: 526, limit: 50 });
    expect(newerQuery(100, 50)).toEqual({ before: 151, limit: 50 });
  });
});
