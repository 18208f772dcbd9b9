import { displayText, isEmoji } from './text.js';

describe('displayText', () => {
  it('escapes markup so no client can render it as HTML', () => {
    expect(displayText('<script>alert("x")</script> & <b>bold</b>', 100)).toEqual({
      ok: true,
      text: '&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;',
    });
  });

  it('removes control characters and bidi overrides, keeping newlines and tabs', () => {
    expect(displayText('a\u0000b\u202Ec\u2066d\tz\ne\u0007', 100)).toEqual({ ok: true, text: 'abcd\tz\ne' });
  });

  it('normalises to NFC and trims', () => {
    expect(displayText('  cafe\u0301  ', 100)).toEqual({ ok: true, text: 'caf\u00e9' });
  });

  it('refuses text that is empty once cleaned', () => {
    expect(displayText(' \u0000\u202E ', 100)).toMatchObject({ ok: false });
  });

  it('counts code points, so emoji cost one each and escaping does not count', () => {
    expect(displayText('😀'.repeat(5), 5)).toEqual({ ok: true, text: '😀'.repeat(5) });
    expect(displayText('<'.repeat(5), 5)).toEqual({ ok: true, text: '&lt;'.repeat(5) });
    expect(displayText('x'.repeat(6), 5)).toMatchObject({
      ok: false,
      reason: 'text must be at most 5 characters',
    });
  });
});

describe('isEmoji', () => {
  it.each(['👍', '❤️', '👍🏽', '👨‍👩‍👧', '🇫🇷', '🎉'])('accepts %s', (emoji) => {
    expect(isEmoji(emoji)).toBe(true);
  });

  it.each(['', 'a', 'lol', '<b>', '1', '#', '👍 x', '👍'.repeat(20)])('refuses %j', (value) => {
    expect(isEmoji(value)).toBe(false);
  });
});
