import { describe, expect, it } from 'vitest';
import { displayText, storedText } from './message-text.js';

describe('message text', () => {
  it('shows markup the server escaped as the characters that were typed', () => {
    expect(displayText('&lt;img src=x onerror=alert(1)&gt;')).toBe('<img src=x onerror=alert(1)>');
  });

  it('decodes once, so typed entities survive', () => {
    expect(displayText(storedText('&lt; & <b>'))).toBe('&lt; & <b>');
    expect(storedText('a & <b>')).toBe('a &amp; &lt;b&gt;');
  });
});
