import { decodeCursor, encodeCursor } from './audit-cursor.js';

describe('audit log cursors', () => {
  it('round-trip a microsecond timestamp and a bigint id', () => {
    const cursor = { at: '2026-03-02T00:00:00.123456Z', id: '9007199254740993' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['empty', ''],
    ['no separator', Buffer.from('2026-03-02T00:00:00Z').toString('base64url')],
    ['a bad time', Buffer.from('2026-13-45T00:00:00Z|1').toString('base64url')],
    ['a time without zone', Buffer.from('2026-03-02T00:00:00|1').toString('base64url')],
    ['a negative id', Buffer.from('2026-03-02T00:00:00Z|-1').toString('base64url')],
    ['an id beyond bigint', Buffer.from('2026-03-02T00:00:00Z|9999999999999999999').toString('base64url')],
    ['extra parts', Buffer.from('2026-03-02T00:00:00Z|1|2').toString('base64url')],
  ])('refuse %s', (_what, raw) => {
    expect(decodeCursor(raw)).toBeUndefined();
  });
});
