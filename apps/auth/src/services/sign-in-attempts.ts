import type { Lockout } from './lockout.js';
import { accountLocked } from './sign-in-failures.js';

/** The budgets an attempt draws on (the Redis lockout; a fake in unit tests). */
export type AttemptBudgets = Pick<
  Lockout,
  | 'reserve'
  | 'failed'
  | 'succeeded'
  | 'release'
  | 'reserveDevice'
  | 'deviceFailed'
  | 'deviceSucceeded'
  | 'releaseDevice'
>;

/** Who a sign-in step is counted against. */
export interface AttemptScope {
  /** The normalised email the sign-in names. */
  identifier: string;
  ip: string;
  /** A trusted device of that identifier's account the client presented, already recognised. */
  deviceId: string | null;
}

/** One reserved sign-in attempt; exactly one of its methods is called once the step has a verdict. */
export interface SignInAttempt {
  /** The trusted device whose own budget this attempt used, or null for the identifier's and IP's. */
  readonly deviceId: string | null;
  /** Wrong password or code; returns the time the budget is locked until, if this attempt locked it. */
  failed(): Promise<Date | null>;
  /** The whole sign-in succeeded: the budget starts over. */
  succeeded(): Promise<void>;
  /** No verdict (hashing overloaded, account gone): the attempt is given back. */
  release(): Promise<void>;
}

/**
 * Reserves one attempt before any password or code is checked, or throws 423 account_locked.
 *
 * The rule (README, "Sign-in lockout"): a sign-in through a trusted device of the account is counted
 * against that device's own budget only, so neither the identifier's lock nor the IP's, which a
 * stranger can cause, refuses it, and its failures never count toward them. Every other sign-in
 * reserves from the identifier's and the IP's budgets together, as before.
 */
export async function reserveAttempt(lockout: AttemptBudgets, scope: AttemptScope): Promise<SignInAttempt> {
  const { identifier, ip, deviceId } = scope;
  if (deviceId) {
    const reservation = await lockout.reserveDevice(deviceId);
    if (!reservation.allowed) throw accountLocked(reservation.retryAfterSeconds);
    return {
      deviceId,
      failed: () => lockout.deviceFailed(deviceId, reservation.count),
      succeeded: () => lockout.deviceSucceeded(deviceId),
      release: () => lockout.releaseDevice(deviceId),
    };
  }
  const reservation = await lockout.reserve(identifier, ip);
  if (!reservation.allowed) throw accountLocked(reservation.retryAfterSeconds);
  return {
    deviceId: null,
    failed: () => lockout.failed(identifier, ip, reservation),
    succeeded: () => lockout.succeeded(identifier, ip),
    release: () => lockout.release(identifier, ip),
  };
}
