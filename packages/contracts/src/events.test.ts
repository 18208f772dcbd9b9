import { randomUUID } from 'node:crypto';
import { parseEnvelope } from './events.js';

const envelope = (payload: unknown, type = 'user.logged_out') => ({
  id: randomUUID(),
  type,
  version: 1,
  occurredAt: new Date().toISOString(),
  payload,
});

describe('parseEnvelope', () => {
  it('accepts a well-formed envelope and returns its typed payload', () => {
    const ids = { userId: randomUUID(), sessionId: randomUUID() };
    expect(parseEnvelope('user.logged_out', envelope(ids)).payload).toEqual(ids);
  });

  it('rejects a payload that does not match its type', () => {
    expect(() => parseEnvelope('user.logged_out', envelope({ userId: 'nope' }))).toThrow();
  });

  it('rejects an envelope of another type', () => {
    const ids = { userId: randomUUID(), sessionId: randomUUID() };
    expect(() => parseEnvelope('user.logged_out', envelope(ids, 'user.updated'))).toThrow(/expected/);
  });

  it('rejects an envelope without an id', () => {
    expect(() => parseEnvelope('user.logged_out', { ...envelope({}), id: undefined })).toThrow();
  });
});
