import { escapeHtml } from './html.js';

describe('escapeHtml', () => {
  it('escapes every character that could open a tag or leave a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('leaves text without those characters as it is, emoji and right-to-left scripts included', () => {
    expect(escapeHtml('héllo 🎉 مرحبا')).toBe('héllo 🎉 مرحبا');
  });
});
