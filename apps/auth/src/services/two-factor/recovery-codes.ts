import { createHash, randomInt } from 'node:crypto';

/** Codes handed out when 2FA is enabled; each signs in once without the authenticator. */
export const RECOVERY_CODE_COUNT = 10;

/** No 0/o, 1/i/l: easy to read off paper and type back. 31 symbols, 10 per code: ~49.5 bits. */
const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
const LENGTH = 10;
const SHAPE = new RegExp(`^[${ALPHABET}]{${LENGTH}}$`);

/** New codes shaped `xxxxx-xxxxx`, each symbol drawn uniformly (randomInt has no modulo bias). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const symbols = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${symbols.slice(0, LENGTH / 2)}-${symbols.slice(LENGTH / 2)}`;
  });
}

/**
 * A typed-in code in canonical form (case, spaces and dashes forgiven), or null when it cannot be
 * one of ours, so junk never reaches the database.
 */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = input.toLowerCase().replace(/[\s-]/g, '');
  return SHAPE.test(compact) ? compact : null;
}

/**
 * What we store: SHA-256 over the user id and the canonical code. The codes are random, so a fast
 * hash suffices; the user id salts it, so a leaked table cannot be attacked for all users at once.
 */
export function hashRecoveryCode(userId: string, code: string): string {
  const canonical = normalizeRecoveryCode(code) ?? code;
  return createHash('sha256').update(`totp-recovery:${userId}:${canonical}`, 'utf8').digest('hex');
}
