import { ZodError } from 'zod';
import { createGroupBody, historyQuery, searchQuery } from '@platform/contracts';
import { ChatError } from '../chat/chat.types.js';
import { conversationTarget } from '../chat/ids.js';
import { fieldErrors } from './authenticated.js';
import { memberId, pathId } from './chat.schemas.js';

const ID = '1b4e28ba-2fa1-41d2-883f-0e1d2e4c0a11';
const actor = { userId: '6f1c1e0e-8f4a-4d7e-9a47-3c2b1d0e9f88', role: 'user' as const };

const errorsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ZodError) return fieldErrors(error);
    throw error;
  }
  throw new Error('expected a ZodError');
};

describe('path ids', () => {
  it('names the global channel `global` and any other conversation by uuid', () => {
    expect(conversationTarget('global')).toEqual({ kind: 'global' });
    expect(conversationTarget(ID)).toEqual({ kind: 'conversation', conversationId: ID });
    const globalId = '00000000-0000-0000-0000-000000000001';
    expect(conversationTarget(globalId)).toEqual({ kind: 'conversation', conversationId: globalId });
  });

  it('answers not_found for an id that cannot exist', () => {
    for (const bad of [undefined, '', 'GLOBAL', 'not-a-uuid', `${ID}x`]) {
      expect(() => conversationTarget(bad)).toThrow(ChatError);
      expect(() => pathId(bad, 'group')).toThrow('No such group.');
    }
  });

  it('reads `me` as the caller', () => {
    expect(memberId('me', actor)).toBe(actor.userId);
    expect(memberId(ID, actor)).toBe(ID);
    expect(() => memberId('you', actor)).toThrow(ChatError);
  });
});

describe('queries', () => {
  it('turns before and limit into numbers, both optional', () => {
    expect(historyQuery.parse({})).toEqual({});
    expect(historyQuery.parse({ before: '12', limit: '50' })).toEqual({ before: 12, limit: 50 });
  });

  it('refuses limits outside 1..50 and anything but whole numbers', () => {
    expect(errorsOf(() => historyQuery.parse({ limit: '51' })).map((e) => e.path)).toEqual(['limit']);
    expect(errorsOf(() => historyQuery.parse({ limit: '0', before: '1.5' })).map((e) => e.path)).toEqual([
      'before',
      'limit',
    ]);
    expect(errorsOf(() => historyQuery.parse({ before: '0' })).map((e) => e.path)).toEqual(['before']);
  });

  it('needs a non-blank search text', () => {
    expect(searchQuery.parse({ q: '  cats ' })).toEqual({ q: 'cats' });
    expect(errorsOf(() => searchQuery.parse({ q: '   ' })).map((e) => e.path)).toEqual(['q']);
  });
});

describe('createGroupBody', () => {
  it('trims the name and lets members be left out', () => {
    expect(createGroupBody.parse({ name: ' Book club ' })).toEqual({ name: 'Book club' });
  });

  it('names each invalid field with a dotted path', () => {
    const errors = errorsOf(() => createGroupBody.parse({ name: '', members: [ID, 'x'], extra: 1 }));
    expect(errors.map((e) => e.path).sort()).toEqual(['(body)', 'members.1', 'name']);
    expect(errors.find((e) => e.path === '(body)')?.message).toBe('unknown field(s): extra');
  });

  it('refuses control characters and bidi overrides in a name', () => {
    expect(errorsOf(() => createGroupBody.parse({ name: 'a\u202eb' })).map((e) => e.path)).toEqual(['name']);
    expect(errorsOf(() => createGroupBody.parse({ name: 'a\u0007b' })).map((e) => e.path)).toEqual(['name']);
  });
});
