import { randomBytes } from 'node:crypto';
import speakeasy from 'speakeasy';

/*
 * The one place auth talks to speakeasy 2.0.0, which has sharp edges (probed, and pinned by
 * totp.test.ts): its default key encoding is ASCII, so every call passes `encoding: 'base32'`; it
 * accepts a code with a leading space and an empty secret, so both are refused here first; its secret
 * generator draws characters with a modulo bias, so secrets come from node:crypto instead; and it has
 * no replay protection, so `verifyTotp` returns the matched time step for the caller to claim.
 */

/** RFC 4648 base32 alphabet (what authenticator apps expect in `otpauth://` URIs). */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Seconds per code; the RFC 6238 default that every authenticator app assumes. */
export const TOTP_STEP_SECONDS = 30;
const DIGITS = 6;
/** Codes of the previous and next step are accepted too (clock drift, slow typing). */
const WINDOW = 1;
const CODE = /^\d{6}$/;
const SECRET = /^[A-Z2-7]+$/;

/** RFC 4648 base32 without padding. */
export function base32Encode(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * A new shared secret: 160 uniformly random bits (RFC 4226's recommended size), base32 (32 chars).
 * `random` is node:crypto's CSPRNG; a parameter only so a test can prove that is what is used.
 */
export function newTotpSecret(random: (size: number) => Buffer = randomBytes): string {
  return base32Encode(random(20));
}

function assertSecret(secret: string): void {
  if (!SECRET.test(secret)) throw new Error('TOTP secret must be non-empty base32');
}

/** The code for `secret` at `time` (seconds since the epoch); `digits` only for the RFC vectors. */
export function totpCode(secret: string, time: number, digits = DIGITS): string {
  assertSecret(secret);
  return speakeasy.totp({ secret, encoding: 'base32', time, step: TOTP_STEP_SECONDS, digits });
}

/** The time step (counter) that `time` falls in. */
export function timeStep(time: number): number {
  return Math.floor(time / TOTP_STEP_SECONDS);
}

/**
 * Checks a 6-digit code against `secret` within ±1 step of `time`. Returns the step it matched (for
 * replay protection), or null for anything else, malformed input included.
 */
export function verifyTotp(secret: string, code: string, time = Date.now() / 1000): number | null {
  if (!SECRET.test(secret) || !CODE.test(code)) return null;
  const match = speakeasy.totp.verifyDelta({
    secret,
    encoding: 'base32',
    token: code,
    time,
    step: TOTP_STEP_SECONDS,
    digits: DIGITS,
    window: WINDOW,
  });
  return match ? timeStep(time) + match.delta : null;
}

/**
 * The `otpauth://` URI an authenticator app scans (Google's Key URI format): the issuer both as the
 * label prefix and as a parameter, so old and new apps both show it.
 */
export function otpauthUrl(secret: string, issuer: string, account: string): string {
  assertSecret(secret);
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  // encodeURIComponent rather than URLSearchParams: some apps show a form-encoded '+' literally.
  const query = Object.entries({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(DIGITS),
    period: String(TOTP_STEP_SECONDS),
  })
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
  return `otpauth://totp/${label}?${query}`;
}
