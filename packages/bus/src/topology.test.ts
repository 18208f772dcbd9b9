import { describeTopology } from './topology.js';

const retry = { delaysMs: [100, 500], maxAttempts: 3 };

describe('describeTopology', () => {
  const spec = describeTopology('t1', retry);
  const queue = (name: string) => spec.queues.find((q) => q.name === name);

  it('declares the three exchanges with their types', () => {
    expect(spec.exchanges).toEqual(
      expect.arrayContaining([
        { name: 't1.events', type: 'topic' },
        { name: 't1.notifications', type: 'fanout' },
        { name: 't1.chat', type: 'fanout' },
      ]),
    );
  });

  it('dead-letters each work queue into its own exchange and queue', () => {
    for (const name of ['email', 'logs']) {
      expect(queue(`t1.${name}`)?.arguments).toEqual({ 'x-dead-letter-exchange': `t1.${name}.dlx` });
      expect(spec.exchanges).toContainEqual({ name: `t1.${name}.dlx`, type: 'fanout' });
      expect(spec.bindings).toContainEqual({
        queue: `t1.${name}.dlq`,
        exchange: `t1.${name}.dlx`,
        pattern: '',
      });
    }
  });

  it('holds retries in one queue per delay that expires back into the work queue', () => {
    expect(queue('t1.email.retry.100ms')?.arguments).toEqual({
      'x-message-ttl': 100,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 't1.email',
    });
    expect(queue('t1.email.retry.500ms')?.arguments['x-message-ttl']).toBe(500);
  });

  it('routes log events from the events exchange into the logs queue', () => {
    expect(spec.bindings).toContainEqual({ queue: 't1.logs', exchange: 't1.events', pattern: 'log.#' });
  });

  it('names everything inside the namespace', () => {
    const names = [...spec.exchanges, ...spec.queues].map((entity) => entity.name);
    expect(names.every((name) => name.startsWith('t1.'))).toBe(true);
  });

  it('refuses a retry policy it cannot turn into queues', () => {
    expect(() => describeTopology('t1', { delaysMs: [], maxAttempts: 2 })).toThrow(RangeError);
  });
});
