/**
 * Redis keys of the sign-in lockout, by normalised email (whether or not an account has it), by
 * client IP, and by trusted device (its own budget, see README's security notes). auth writes them; admin deletes an identifier's keys to unlock it. Relative to the
 * service's `REDIS_PREFIX`.
 */
export const lockoutKeys = {
  /** Sign-in attempts started in the current window (reserved before hashing). */
  attempts: (identifier: string) => `lockout:attempts:id:${identifier}`,
  ipAttempts: (ip: string) => `lockout:attempts:ip:${ip}`,
  /** Present while locked; its TTL is the time left. */
  locked: (identifier: string) => `lockout:locked:id:${identifier}`,
  ipLocked: (ip: string) => `lockout:locked:ip:${ip}`,
  /** Lockouts in the last day: each one doubles the next lock's length. */
  strikes: (identifier: string) => `lockout:strikes:id:${identifier}`,
  /** The same three for a trusted device, by its id: sign-ins through it never touch the identifier's. */
  deviceAttempts: (deviceId: string) => `lockout:attempts:device:${deviceId}`,
  deviceLocked: (deviceId: string) => `lockout:locked:device:${deviceId}`,
  deviceStrikes: (deviceId: string) => `lockout:strikes:device:${deviceId}`,
} as const;

/** Every key to delete when an admin unlocks an identifier. */
export function identifierLockoutKeys(identifier: string): string[] {
  return [lockoutKeys.attempts(identifier), lockoutKeys.locked(identifier), lockoutKeys.strikes(identifier)];
}
