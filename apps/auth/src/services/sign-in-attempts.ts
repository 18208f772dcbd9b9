import type { EntityManager, User } from '@platform/db';
import type { AppError } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { RequestMeta } from './accounts.service.js';
import type { Lockout } from './lockout.js';
import { accountLocked, recordSignInFailure, type LockNotice } from './sign-in-failures.js';

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

/** What checking a signed-in user's proof against the lockout needs. */
export interface ProofCheckDeps {
  em: EntityManager;
  events: EventSink;
  lockout: AttemptBudgets;
  lockNotice: LockNotice;
}

/**
 * Checks the proof a signed-in user offers (a password, a code) as one sign-in attempt on their
 * account's address, so a stolen access token cannot be used to guess without end: the attempt is
 * reserved first (423 when locked), a failure is counted, audited as `failedAction` (locking and
 * mailing the owner when it used up the budget) and thrown, and a success clears the budget.
 * `failureOf` answers what is wrong with the proof, or null when it holds.
 */
export async function checkProofAttempt(
  deps: ProofCheckDeps,
  user: User,
  failedAction: string,
  meta: RequestMeta,
  failureOf: () => Promise<AppError | null>,
): Promise<void> {
  const scope = { identifier: user.email, ip: meta.ip ?? 'unknown', deviceId: null };
  const attempt = await reserveAttempt(deps.lockout, scope);
  let failure: AppError | null;
  try {
    failure = await failureOf();
  } catch (error) {
    await attempt.release();
    throw error;
  }
  if (failure) {
    const lockedUntil = await attempt.failed();
    const record = { action: failedAction, identifier: user.email, user, lockedUntil };
    await recordSignInFailure(deps.em, deps.events, deps.lockNotice, record, meta);
    throw failure;
  }
  await attempt.succeeded();
}
