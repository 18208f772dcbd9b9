import { isTransientDatabaseError } from './transient.js';

describe('isTransientDatabaseError', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    [
      'an admin shutdown (server restart)',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    ['a connection exception class', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['a dropped socket', new Error('Connection terminated unexpectedly')],
    [
      'an exhausted pool',
      Object.assign(new Error('Knex: Timeout acquiring a connection.'), { name: 'KnexTimeoutError' }),
    ],
    ['a serialization failure', Object.assign(new Error('could not serialize access'), { code: '40001' })],
    [
      'a wrapped cause',
      new Error('insert failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }),
    ],
  ])('treats %s as transient', (_label, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key value'), { code: '23505' })],
    ['an invalid value', Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' })],
    ['a syntax error', Object.assign(new Error('syntax error at or near'), { code: '42601' })],
    ['a non-error', 'boom'],
    ['nothing', undefined],
  ])('treats %s as permanent', (_label, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});
