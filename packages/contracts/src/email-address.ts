import { z } from 'zod';

const emailShape = z.email().max(254);

/** Trims and case-folds an address so `Alice@Example.COM ` and `alice@example.com` are one account. */
export function normalizeEmail(raw: string): string {
  return raw.normalize('NFC').trim().toLowerCase();
}

/** The normalised address when it is a plausible email, else undefined. */
export function parseEmail(raw: string): string | undefined {
  const email = normalizeEmail(raw);
  return emailShape.safeParse(email).success ? email : undefined;
}

/** The same rule as a zod schema, for request bodies: yields the normalised address. */
export const emailAddressSchema = z.string().transform(normalizeEmail).pipe(emailShape);
