import { GLOBAL_CONVERSATION_ID } from '@platform/contracts';
import { parseClientFrame, targetOf } from './client-messages.js';

const text = (value: string): ArrayBuffer => {
  const bytes = Buffer.from(value, 'utf8');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
};

describe('parseClientFrame', () => {
  it('accepts a ping', () => {
    expect(parseClientFrame(text('{"type":"ping"}'), false)).toEqual({ ok: true, message: { type: 'ping' } });
  });

  it.each([
    ['not JSON', '{type:', 'bad_json'],
    ['a JSON array', '[1]', 'validation_failed'],
    ['a JSON number', '42', 'validation_failed'],
    ['an object without a type', '{"text":"hi"}', 'validation_failed'],
    ['an unknown type', '{"type":"launch.missiles"}', 'unknown_type'],
  ])('answers %s with %s', (_what, frame, code) => {
    const parsed = parseClientFrame(text(frame), false);
    expect(parsed).toMatchObject({ ok: false, error: { type: 'error', code } });
  });

  it('refuses binary frames', () => {
    expect(parseClientFrame(text('{"type":"ping"}'), true)).toMatchObject({ ok: false, label: 'binary' });
  });
});

describe('parseClientFrame on chat frames', () => {
  const id = '0b9f8c57-8a1b-4c4e-9a53-1f2d3c4b5a69';

  it('accepts a send to global, to a group, or to a user', () => {
    for (const where of [{}, { channel: 'global' }, { channel: id }, { to: id }]) {
      const parsed = parseClientFrame(
        text(JSON.stringify({ type: 'chat.send', text: 'hi', clientId: 'c-1', ...where })),
        false,
      );
      expect(parsed).toMatchObject({
        ok: true,
        message: { type: 'chat.send', text: 'hi', clientId: 'c-1', ...where },
      });
    }
  });

  it('accepts the global channel’s conversation id (from the snapshot or an ack) wherever one is taken', () => {
    const conversationId = GLOBAL_CONVERSATION_ID;
    for (const frame of [
      { type: 'chat.sync', conversations: [{ id: conversationId, after: 3 }] },
      { type: 'chat.history', conversationId },
      { type: 'chat.send', text: 'hi', clientId: 'c-4', conversationId },
      { type: 'typing', conversationId, on: true },
    ]) {
      expect(parseClientFrame(text(JSON.stringify(frame)), false)).toMatchObject({
        ok: true,
        message: frame,
      });
    }
  });

  it('takes up to 50 conversations in one chat.sync', () => {
    const conversations = Array.from({ length: 50 }, () => ({ id, after: 0 }));
    const parsed = parseClientFrame(text(JSON.stringify({ type: 'chat.sync', conversations })), false);
    expect(parsed).toMatchObject({ ok: true });
  });

  it.each([
    ['a send without clientId', { type: 'chat.send', text: 'hi' }, undefined],
    [
      'a send to two places',
      { type: 'chat.send', text: 'hi', clientId: 'c-2', channel: 'global', to: id },
      'c-2',
    ],
    ['a clientId with spaces', { type: 'chat.send', text: 'hi', clientId: 'a b' }, undefined],
    ['markup for an id', { type: 'message.read', id: '<img src=x onerror=alert(1)>' }, undefined],
    ['an id longer than 64', { type: 'message.delete', id: 'x'.repeat(65) }, undefined],
    [
      'a channel that is no group id',
      { type: 'chat.send', text: 'hi', clientId: 'c-3', channel: 'random' },
      'c-3',
    ],
    ['a reaction without `on`', { type: 'reaction', id, emoji: '👍' }, id],
    ['a read mark with a bad id', { type: 'message.read', id: 'nope' }, 'nope'],
    ['a sync with a negative seq', { type: 'chat.sync', conversations: [{ id, after: -1 }] }, undefined],
    [
      'a sync of more than 50 conversations',
      { type: 'chat.sync', conversations: Array.from({ length: 51 }, () => ({ id, after: 0 })) },
      undefined,
    ],
  ])('refuses %s with validation_failed, naming the request if its handle is one', (_what, frame, ref) => {
    const parsed = parseClientFrame(text(JSON.stringify(frame)), false);
    expect(parsed).toMatchObject({ ok: false, error: { type: 'error', code: 'validation_failed' } });
    if (!parsed.ok) expect(parsed.error.ref).toBe(ref);
  });
});

describe('targetOf', () => {
  const id = '0b9f8c57-8a1b-4c4e-9a53-1f2d3c4b5a69';

  it('maps channel, to and conversationId to chat targets, global by default', () => {
    expect(targetOf({})).toEqual({ kind: 'global' });
    expect(targetOf({ channel: 'global' })).toEqual({ kind: 'global' });
    expect(targetOf({ conversationId: 'global' })).toEqual({ kind: 'global' });
    expect(targetOf({ channel: id })).toEqual({ kind: 'group', groupId: id });
    expect(targetOf({ to: id })).toEqual({ kind: 'direct', userId: id });
    expect(targetOf({ conversationId: id })).toEqual({ kind: 'conversation', conversationId: id });
  });
});
