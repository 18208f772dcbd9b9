import { STATUS_CODES } from 'node:http';
import { ERROR_CATALOGUE, reasonPhrase, statusOf } from './errors.js';
import { problemBody } from './problem.js';

describe('the error catalogue', () => {
  const entries = Object.entries(ERROR_CATALOGUE);

  it('names every code in snake_case, with an error status (or none, for socket-only codes) and a title', () => {
    for (const [code, entry] of entries) {
      expect({ code, snake: /^[a-z]+(_[a-z]+)*$/.test(code) }).toEqual({ code, snake: true });
      if (entry.status !== null) {
        expect({ code, isError: entry.status >= 400 && STATUS_CODES[entry.status] !== undefined }).toEqual({
          code,
          isError: true,
        });
      }
      expect(entry.title.length).toBeGreaterThan(3);
    }
  });

  it('names every status with the reason phrase Node gives it, without loading node:http at run time', () => {
    for (const [status, phrase] of Object.entries(STATUS_CODES))
      expect(reasonPhrase(Number(status))).toBe(phrase);
    expect(reasonPhrase(599)).toBe('Error');
  });

  it('is kept in alphabetical order, so a new code finds its place and duplicates stand out', () => {
    const codes = entries.map(([code]) => code);
    expect(codes).toEqual([...codes].sort());
  });

  it('fixes the status and title of a problem body by its code', () => {
    expect(statusOf('email_taken')).toBe(409);
    expect(problemBody('email_taken', 'Taken.', { requestId: 'r1' })).toEqual({
      type: 'urn:platform:problem:email_taken',
      title: ERROR_CATALOGUE.email_taken.title,
      status: 409,
      detail: 'Taken.',
      code: 'email_taken',
      requestId: 'r1',
    });
  });
});
