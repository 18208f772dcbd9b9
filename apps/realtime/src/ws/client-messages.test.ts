import { parseClientFrame } from './client-messages.js';

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
