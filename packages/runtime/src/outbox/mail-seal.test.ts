import { randomBytes } from 'node:crypto';
import type { EmailSend } from '@platform/contracts';
import { MailSeal, UnsealableMailError } from './mail-seal.js';

const mail: EmailSend = {
  template: 'password_reset',
  to: 'alice@example.com',
  userId: '0b7e4c3a-5d1f-4c6e-9a2b-1f3e5d7c9b0a',
  displayName: 'Alice',
  resetUrl: 'https://app.example.test/reset-password?token=s3cret-t0ken',
  expiresAt: '2026-12-06T12:00:00.000Z',
};
const keys = (kid: string) => `${kid}:${randomBytes(32).toString('base64')}`;

describe('MailSeal', () => {
  const seal = MailSeal.fromKeys(keys('k1'));

  it('seals a command whole, so neither its link nor its address is readable, and opens it again', () => {
    const envelope = seal.envelope(mail);
    const wire = JSON.stringify(envelope);
    expect(wire).not.toContain('s3cret-t0ken');
    expect(wire).not.toContain('alice@example.com');
    expect(envelope.payload.sealed).toMatch(/^v1:k1:/);
    expect(seal.open(envelope)).toEqual(mail);
  });

  it('opens a command only under the envelope id it was sealed for', () => {
    const envelope = seal.envelope(mail);
    const other = seal.envelope(mail);
    expect(() => seal.open({ ...other, payload: envelope.payload })).toThrow(UnsealableMailError);
  });

  it('refuses a clear, altered or foreign-sealed command without echoing its content', () => {
    const envelope = seal.envelope(mail);
    expect(() => seal.open({ ...envelope, payload: mail })).toThrow(/not sealed/);
    const [v, kid, iv, tag, body = ''] = envelope.payload.sealed.split(':');
    const flipped = `${body.slice(0, -2)}${body.at(-2) === 'A' ? 'B' : 'A'}${body.slice(-1)}`;
    const altered = { ...envelope, payload: { sealed: [v, kid, iv, tag, flipped].join(':') } };
    expect(() => seal.open(altered)).toThrow(UnsealableMailError);
    expect(() => seal.open(altered)).not.toThrow(/alice/);
    const foreign = MailSeal.fromKeys(keys('k9')).envelope(mail);
    expect(() => seal.open(foreign)).toThrow(/no key with kid k9/);
  });

  it('opens what an old key sealed after a new key was put first (rotation)', () => {
    const old = keys('old');
    const sealedBefore = MailSeal.fromKeys(old).envelope(mail);
    const rotated = MailSeal.fromKeys(`${keys('new')},${old}`);
    expect(rotated.open(sealedBefore)).toEqual(mail);
    expect(rotated.envelope(mail).payload.sealed).toMatch(/^v1:new:/);
  });
});
