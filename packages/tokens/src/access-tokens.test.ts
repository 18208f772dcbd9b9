import { createHmac, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AccessTokens, TokenError } from './access-tokens.js';

const settings = { secret: 's'.repeat(48), issuer: 'platform-auth', audience: 'platform' };
const tokens = new AccessTokens(settings);
const subject = { userId: randomUUID(), role: 'user' as const, sessionId: randomUUID() };

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function handMade(header: object, payload: object, secret = settings.secret): string {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenError) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('AccessTokens', () => {
  it('issues a token that verifies to the claims of its session', () => {
    const signed = tokens.sign(subject);
    const claims = tokens.verify(signed.token);
    expect(claims).toMatchObject({
      sub: subject.userId,
      role: 'user',
      sid: subject.sessionId,
      jti: signed.jti,
      iss: 'platform-auth',
      aud: 'platform',
    });
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('refuses alg none', () => {
    const claims = tokens.verify(tokens.sign(subject).token);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    expect(codeOf(() => tokens.verify(unsigned))).toBe('invalid_token');
  });

  it('refuses a token signed with another secret', () => {
    const forged = jwt.sign({ role: 'admin', sid: randomUUID() }, 'x'.repeat(48), {
      subject: randomUUID(),
      issuer: settings.issuer,
      audience: settings.audience,
      jwtid: randomUUID(),
    });
    expect(codeOf(() => tokens.verify(forged))).toBe('invalid_token');
  });

  it('refuses a role forged into the payload of a genuine token', () => {
    const [header, payload, signature] = tokens.sign(subject).token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as object;
    const tampered = `${header}.${b64({ ...claims, role: 'admin' })}.${signature}`;
    expect(codeOf(() => tokens.verify(tampered))).toBe('invalid_token');
  });

  it('refuses HS512 even with the right secret (algorithm pinned)', () => {
    const now = Math.floor(Date.now() / 1000);
    const other = jwt.sign({ role: 'user', sid: randomUUID(), iat: now, exp: now + 60 }, settings.secret, {
      algorithm: 'HS512',
      subject: randomUUID(),
      issuer: settings.issuer,
      audience: settings.audience,
      jwtid: randomUUID(),
    });
    expect(codeOf(() => tokens.verify(other))).toBe('invalid_token');
  });

  it('says token_expired for an expired token', () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = handMade(
      { alg: 'HS256', typ: 'JWT' },
      {
        sub: randomUUID(),
        role: 'user',
        sid: randomUUID(),
        jti: randomUUID(),
        iat: now - 120,
        exp: now - 60,
        iss: settings.issuer,
        aud: settings.audience,
      },
    );
    expect(codeOf(() => tokens.verify(expired))).toBe('token_expired');
  });

  it('refuses a token for another audience or issuer', () => {
    const otherAudience = new AccessTokens({ ...settings, audience: 'someone-else' }).sign(subject).token;
    const otherIssuer = new AccessTokens({ ...settings, issuer: 'evil' }).sign(subject).token;
    expect(codeOf(() => tokens.verify(otherAudience))).toBe('invalid_token');
    expect(codeOf(() => tokens.verify(otherIssuer))).toBe('invalid_token');
  });

  it('refuses a correctly signed token whose claims have the wrong shape', () => {
    const now = Math.floor(Date.now() / 1000);
    const odd = handMade(
      { alg: 'HS256', typ: 'JWT' },
      {
        sub: 'not-a-uuid',
        role: 'root',
        sid: randomUUID(),
        jti: randomUUID(),
        iat: now,
        exp: now + 60,
        iss: settings.issuer,
        aud: settings.audience,
      },
    );
    expect(codeOf(() => tokens.verify(odd))).toBe('invalid_token');
  });

  it('refuses garbage', () => {
    expect(codeOf(() => tokens.verify('not.a.jwt'))).toBe('invalid_token');
    expect(codeOf(() => tokens.verify(''))).toBe('invalid_token');
  });
});
