import { assertEnvelope, createEnvelope, decodeEnvelope } from './envelope.js';
import { InvalidEnvelopeError } from './errors.js';

const body = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('createEnvelope', () => {
  it('wraps a payload with a fresh uuid, the current time and version 1', () => {
    const before = Date.now();
    const envelope = createEnvelope('user.updated', { changes: ['email'] });
    expect(envelope).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'user.updated',
      version: 1,
      occurredAt: expect.any(String),
      payload: { changes: ['email'] },
    });
    expect(Date.parse(envelope.occurredAt)).toBeGreaterThanOrEqual(before - 1);
  });

  it('gives every envelope its own id', () => {
    expect(createEnvelope('log.request', {}).id).not.toBe(createEnvelope('log.request', {}).id);
  });

  it('keeps an explicit version', () => {
    expect(createEnvelope('user.updated', {}, 3).version).toBe(3);
  });
});

describe('assertEnvelope', () => {
  it('returns a valid envelope unchanged', () => {
    const envelope = createEnvelope('user.registered', { userId: 'x' });
    expect(assertEnvelope(envelope)).toBe(envelope);
  });

  it('rejects a malformed type with an InvalidEnvelopeError naming the field', () => {
    const envelope = createEnvelope('Not A Type', {});
    expect(() => assertEnvelope(envelope)).toThrow(InvalidEnvelopeError);
    expect(() => assertEnvelope(envelope)).toThrow(/type/);
  });

  it('rejects a version of zero', () => {
    expect(() => assertEnvelope(createEnvelope('user.updated', {}, 0))).toThrow(/version/);
  });
});

describe('decodeEnvelope', () => {
  it('reads an envelope from a JSON body', () => {
    const envelope = createEnvelope('user.updated', { changes: [] });
    expect(decodeEnvelope(body(envelope))).toEqual({ ok: true, envelope });
  });

  it('explains a body that is not JSON', () => {
    expect(decodeEnvelope(Buffer.from('{nope'))).toEqual({
      ok: false,
      reason: expect.stringMatching(/not JSON/),
    });
  });

  it('explains JSON that is not an envelope', () => {
    const result = decodeEnvelope(body({ id: 'x', type: 'user.updated' }));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/not an envelope.*id/) });
  });

  it('rejects a JSON array at the root', () => {
    expect(decodeEnvelope(body([1, 2]))).toMatchObject({ ok: false });
  });
});
