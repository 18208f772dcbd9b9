import type { Counter, Gauge, Histogram } from 'prom-client';

/** Thrown at once when every slot is busy and the wait queue is full. */
export class PoolOverloadedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('pool overloaded');
    this.name = 'PoolOverloadedError';
  }
}

export interface PoolMetrics {
  inFlight: Gauge;
  queueDepth: Gauge;
  rejected: Counter;
  duration: Histogram;
}

export interface BoundedPoolOptions {
  /** Tasks running at once (for CPU-bound hashing: the number of cores). */
  concurrency: number;
  /** Tasks allowed to wait; one more is refused instead of queued. */
  queueLimit: number;
  metrics?: PoolMetrics;
}

/**
 * Runs async tasks with at most `concurrency` in flight and at most `queueLimit` waiting. A full pool
 * refuses immediately, so overload turns into fast 503s instead of a queue that grows without end.
 */
export class BoundedPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Moving average of task time, for a Retry-After that means something. */
  private averageMs = 100;

  constructor(private readonly options: BoundedPoolOptions) {}

  get stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.options.queueLimit) {
        this.options.metrics?.rejected.inc();
        throw new PoolOverloadedError(this.retryAfterSeconds());
      }
      // The finishing task hands its slot straight to us (running stays counted), so no caller
      // arriving in between can jump the queue.
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        this.report();
      });
    } else {
      this.running += 1;
    }
    this.report();
    const started = performance.now();
    try {
      return await task();
    } finally {
      const ms = performance.now() - started;
      this.averageMs = this.averageMs * 0.9 + ms * 0.1;
      this.options.metrics?.duration.observe(ms / 1000);
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
      this.report();
    }
  }

  /** Seconds until the queue ahead of a new task would have drained. */
  retryAfterSeconds(): number {
    const ahead = this.running + this.waiting.length;
    return Math.max(1, Math.ceil(((ahead / this.options.concurrency) * this.averageMs) / 1000));
  }

  private report(): void {
    this.options.metrics?.inFlight.set(this.running);
    this.options.metrics?.queueDepth.set(this.waiting.length);
  }
}
