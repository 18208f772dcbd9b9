/**
 * Collects items and writes them in batches, bounded by size and by the age of the oldest item. `add`
 * resolves once the batch holding the item is written, so a consumer acks a message only after its
 * row is committed. `write` reports a failure per item (undefined = written), so one bad item need not
 * fail its neighbours; a write that throws fails the whole batch.
 */
export class Batcher<T> {
  private pending: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly options: {
      maxSize: number;
      maxWaitMs: number;
      write: (items: T[]) => Promise<ReadonlyArray<unknown>>;
    },
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  /** Items waiting for their batch. */
  get size(): number {
    return this.pending.length;
  }

  /** Writes what is pending now and waits for every write in progress. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.allSettled([...this.writing]);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const write = this.options
      .write(batch.map((entry) => entry.item))
      .then(
        (failures) =>
          batch.forEach((entry, index) => {
            const failure = failures[index];
            if (failure === undefined) entry.resolve();
            else entry.reject(failure);
          }),
        (error: unknown) => batch.forEach((entry) => entry.reject(error)),
      )
      .finally(() => this.writing.delete(write));
    this.writing.add(write);
  }
}
