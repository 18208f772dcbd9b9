import { createClient, isApiError, type PlatformClient } from '@platform/client';
import type { Account } from './chat.js';
import type { Operation, Recorder } from './stats.js';

/** A password the policy accepts; every soak account has it. */
export const PASSWORD = 'violet-anchor-meadow-42!';

/** How an HTTP call through the SDK ended: ok, the answer's status, or `network`. */
async function timed(recorder: Recorder, operation: Operation, call: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  try {
    await call();
    recorder.record(operation, performance.now() - started);
  } catch (error) {
    recorder.record(operation, performance.now() - started, isApiError(error) ? error.status : 'network');
  }
}

/**
 * The REST part of the mix through the edge: sign-ups with fresh addresses, sign-ins of accounts made
 * earlier, and profile reads by the signed-in chat users.
 */
export class RestMix {
  private readonly anonymous: PlatformClient;
  private readonly accounts: Account[] = [];
  private registered = 0;

  constructor(
    edgeUrl: string,
    private readonly runId: string,
    private readonly recorder: Recorder,
    private readonly readers: () => readonly PlatformClient[],
  ) {
    this.anonymous = createClient({ baseUrl: edgeUrl, transport: 'body' });
  }

  /** Registers `count` accounts (a few at a time) before the clock starts; they become the chat users. */
  async seed(count: number): Promise<Account[]> {
    const made: Account[] = [];
    for (let i = 0; i < count; i += 4) {
      const batch = Array.from({ length: Math.min(4, count - i) }, () => this.newAccount());
      made.push(...(await Promise.all(batch)));
    }
    return made;
  }

  private async newAccount(): Promise<Account> {
    this.registered += 1;
    const email = `soak-${this.runId}-${this.registered}@example.com`;
    const { user } = await this.anonymous.api.register({
      body: { email, password: PASSWORD, displayName: `Soak ${this.registered}` },
    });
    const account = { userId: user.id, email, password: PASSWORD };
    this.accounts.push(account);
    return account;
  }

  register(): Promise<void> {
    return timed(this.recorder, 'register', () => this.newAccount());
  }

  login(): Promise<void> {
    const account = this.accounts[Math.floor(Math.random() * this.accounts.length)];
    if (!account) return Promise.resolve();
    return timed(this.recorder, 'login', () =>
      this.anonymous.api.login({ body: { email: account.email, password: account.password } }),
    );
  }

  profile(): Promise<void> {
    const readers = this.readers();
    const reader = readers[Math.floor(Math.random() * readers.length)];
    if (!reader) return Promise.resolve();
    return timed(this.recorder, 'profile', () => reader.api.getProfile());
  }
}

/** One kind of work at a steady rate, with a cap on how much of it may be in flight. */
export interface Stream {
  operation: Operation | 'drop';
  perSecond: number;
  run(): Promise<void> | void;
}

/**
 * Open-loop load: each stream's work starts on schedule whatever the answers do, as independent users
 * would, so a slow stack shows as latency rather than as less load. Past `maxInFlight` of a stream the
 * start is skipped and counted (`backlog`), so a stalled stack cannot pile up work without bound.
 */
export function runStreams(streams: readonly Stream[], recorder: Recorder, maxInFlight = 64): () => void {
  const due = streams.map(() => 0);
  const inFlight = streams.map(() => 0);
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const elapsed = (now - last) / 1000;
    last = now;
    streams.forEach((stream, i) => {
      due[i] = (due[i] ?? 0) + stream.perSecond * elapsed;
      while ((due[i] ?? 0) >= 1) {
        due[i] = (due[i] ?? 0) - 1;
        if ((inFlight[i] ?? 0) >= maxInFlight) {
          if (stream.operation !== 'drop') recorder.record(stream.operation, 0, 'backlog');
          continue;
        }
        inFlight[i] = (inFlight[i] ?? 0) + 1;
        void Promise.resolve(stream.run()).finally(() => (inFlight[i] = (inFlight[i] ?? 0) - 1));
      }
    });
  }, 50);
  return () => clearInterval(timer);
}
