import { randomBytes } from 'node:crypto';
import type { MailSink } from '@platform/mail-sink';
import { MailTracker, sleep, type Deliveries } from './mail-tracker.js';

/** The policy accepts it; every registration uses a fresh address, so it can be reused. */
const PASSWORD = 'violet-anchor-meadow-42!';

export interface RegistrationRun {
  offeredPerSecond: number;
  /** From the first request to the last answer. */
  seconds: number;
  sent: number;
  created: number;
  /** Answers other than 201 and network errors, by status ('error' for the latter). */
  failures: Record<string, number>;
  /** POST /register answer time of the 201s, ms, ascending. */
  httpMs: number[];
  mail: Deliveries;
  /** First mail-less second to the last welcome mail: mails per second through the whole chain. */
  mailsPerSecond: number;
}

/**
 * Open-loop load: one POST /register every 1/rate seconds whatever the answers do, as users arrive,
 * so a slow pipeline shows up as latency instead of quietly lowering the rate (a closed loop would
 * hide it). Each registration has its own address; its welcome mail is matched by recipient.
 */
export async function driveRegistrations(
  authUrl: string,
  sink: MailSink,
  rate: number,
  seconds: number,
): Promise<RegistrationRun> {
  const tracker = new MailTracker(sink);
  const run = randomBytes(3).toString('hex');
  const total = Math.round(rate * seconds);
  const failures: Record<string, number> = {};
  const httpMs: number[] = [];
  const answers: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const email = `bench-${run}-${i}@example.com`;
    tracker.expect(email);
    answers.push(
      register(authUrl, email).then((outcome) => {
        if (typeof outcome === 'number') return void httpMs.push(outcome);
        tracker.forget(email);
        failures[outcome] = (failures[outcome] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(answers);
  const mail = await tracker.settle();
  const lastMs = mail.lastAt > 0 ? mail.lastAt - started : Number.NaN;
  return {
    offeredPerSecond: rate,
    seconds: (performance.now() - started) / 1000,
    sent: total,
    created: httpMs.length,
    failures,
    httpMs: httpMs.sort((a, b) => a - b),
    mail,
    mailsPerSecond: mail.delivered / (lastMs / 1000),
  };
}

/** The answer time in ms for a 201, else the status (or 'error'). */
async function register(authUrl: string, email: string): Promise<number | string> {
  const sent = performance.now();
  try {
    const response = await fetch(`${authUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD, displayName: 'Bench User' }),
    });
    await response.arrayBuffer();
    return response.status === 201 ? performance.now() - sent : String(response.status);
  } catch {
    return 'error';
  }
}
