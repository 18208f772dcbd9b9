/** How often `typing on` may repeat while someone types, and how long a pause means they stopped. */
export interface TypingOptions {
  throttleMs: number;
  idleMs: number;
}

export const DEFAULT_TYPING: TypingOptions = { throttleMs: 3000, idleMs: 5000 };

/** Timers, injectable so tests control time. */
export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface State<T> {
  target: T;
  lastOnAt: number;
  idle: unknown;
}

/**
 * Turns keystrokes into typing frames: at most one `on` per `throttleMs` for a conversation while
 * keys keep coming (others' indicators are refreshed, the server is not flooded; it drops typing past
 * its own rate anyway), and one `off` after `idleMs` without a key or when the text is sent.
 */
export class TypingThrottle<T> {
  private readonly states = new Map<string, State<T>>();

  constructor(
    private readonly send: (target: T, on: boolean) => void,
    private readonly options: TypingOptions = DEFAULT_TYPING,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A keystroke in the conversation `key` names. */
  keystroke(key: string, target: T): void {
    const now = this.clock.now();
    const state = this.states.get(key);
    if (state) this.clock.clearTimeout(state.idle);
    const next: State<T> = state ?? { target, lastOnAt: -Infinity, idle: undefined };
    if (now - next.lastOnAt >= this.options.throttleMs) {
      next.lastOnAt = now;
      this.send(target, true);
    }
    next.idle = this.clock.setTimeout(() => this.stop(key), this.options.idleMs);
    this.states.set(key, next);
  }

  /** Typing ended (sent, or the field emptied): `off` now, if `on` was sent. */
  stop(key: string): void {
    const state = this.states.get(key);
    if (!state) return;
    this.clock.clearTimeout(state.idle);
    this.states.delete(key);
    this.send(state.target, false);
  }

  /** Forgets every conversation without sending anything (the socket closed). */
  reset(): void {
    for (const state of this.states.values()) this.clock.clearTimeout(state.idle);
    this.states.clear();
  }
}
