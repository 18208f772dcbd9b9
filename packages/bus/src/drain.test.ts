import { InFlight, drain, settle, type Drainable } from './drain.js';

/** A deferred handler: resolves (or rejects) when the test says so, and records when it did. */
function handler(events: string[], name: string) {
  let finish: () => void = () => undefined;
  let crash: (error: Error) => void = () => undefined;
  const work = new Promise<void>((resolve, reject) => {
    finish = () => {
      events.push(`${name} settled`);
      resolve();
    };
    crash = reject;
  });
  return { work, finish, crash };
}

/** A channel and its owner that record, in order, what drain did to them. */
function target(events: string[], inFlight = new InFlight()): Drainable {
  return {
    channel: {
      cancel: async (tag: string) => {
        events.push(`cancel ${tag}`);
        return { consumerTag: tag };
      },
      close: async () => void events.push('close'),
    },
    consumerTag: 'ctag-1',
    inFlight,
    detach: () => void events.push('detach'),
  };
}

describe('drain', () => {
  it('cancels first, waits for the handlers in flight, then forgets and closes the channel', async () => {
    const events: string[] = [];
    const inFlight = new InFlight();
    const first = handler(events, 'first');
    const second = handler(events, 'second');
    inFlight.track(first.work, () => undefined);
    inFlight.track(second.work, () => undefined);

    const drained = drain(target(events, inFlight), 5_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['cancel ctag-1']);
    first.finish();
    second.finish();
    await drained;

    expect(events).toEqual(['cancel ctag-1', 'first settled', 'second settled', 'detach', 'close']);
    expect(inFlight.size).toBe(0);
  });

  it('gives up on a handler that outlasts the timeout and says how many still ran', async () => {
    const events: string[] = [];
    const inFlight = new InFlight();
    inFlight.track(handler(events, 'stuck').work, () => undefined);
    const onTimeout = jest.fn();

    await drain(target(events, inFlight), 20, onTimeout);

    expect(onTimeout).toHaveBeenCalledWith(1);
    expect(events).toEqual(['cancel ctag-1', 'detach', 'close']);
  });

  it('does not report a timeout when every handler settled', async () => {
    const onTimeout = jest.fn();
    await drain(target([]), 20, onTimeout);
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('only forgets the channel when there is none (lost with the connection)', async () => {
    const events: string[] = [];
    await drain({ ...target(events), channel: null, consumerTag: null }, 20);
    expect(events).toEqual(['detach']);
  });

  it('still closes the channel when the cancel fails', async () => {
    const events: string[] = [];
    const failing = target(events);
    const channel = {
      cancel: () => Promise.reject(new Error('channel closed')),
      close: async () => void events.push('close'),
    };
    await drain({ ...failing, channel }, 20);
    expect(events).toEqual(['detach', 'close']);
  });
});

describe('InFlight', () => {
  it('hands a crashed handling to onCrash and stops tracking it', async () => {
    const inFlight = new InFlight();
    const crashes: unknown[] = [];
    const crashing = handler([], 'crashing');
    inFlight.track(crashing.work, (error) => void crashes.push(error));
    expect(inFlight.size).toBe(1);

    crashing.crash(new Error('bug'));
    await inFlight.settled(1_000);

    expect(crashes).toEqual([new Error('bug')]);
    expect(inFlight.size).toBe(0);
  });
});

describe('settle', () => {
  it('swallows the error of a channel that closed meanwhile', () => {
    expect(() =>
      settle(() => {
        throw new Error('Channel closed');
      }),
    ).not.toThrow();
  });
});
