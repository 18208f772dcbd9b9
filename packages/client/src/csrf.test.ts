import { cookieValue, csrfHeaders } from './csrf.js';

describe('the CSRF header of a cookie refresh', () => {
  it('echoes the csrf_token cookie in X-CSRF-Token', () => {
    expect(csrfHeaders('theme=dark; csrf_token=abc-123_x; other=1')).toEqual({ 'X-CSRF-Token': 'abc-123_x' });
  });

  it('sends no header when the cookie is missing or emptied (signed out)', () => {
    expect(csrfHeaders('theme=dark')).toEqual({});
    expect(csrfHeaders('csrf_token=; theme=dark')).toEqual({});
    expect(csrfHeaders('')).toEqual({});
  });

  it('reads a cookie by its exact name, not a longer one that ends the same', () => {
    expect(cookieValue('xcsrf_token=bad; csrf_token=good', 'csrf_token')).toBe('good');
    expect(cookieValue('a=%20b', 'a')).toBe(' b');
  });
});
