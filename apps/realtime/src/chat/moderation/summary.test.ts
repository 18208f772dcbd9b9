import { extractiveSummary, type SummaryInput } from './summary.js';

const message = (id: number, text: string): SummaryInput => ({
  id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
  from: '00000000-0000-4000-8000-0000000000aa',
  at: new Date(Date.UTC(2026, 11, 6, 12, id)).toISOString(),
  text,
});

describe('extractiveSummary', () => {
  const provider = extractiveSummary();

  it('quotes the sentences about what the conversation keeps coming back to, in order', async () => {
    const messages = [
      message(1, 'Morning all!'),
      message(2, 'The release build is failing on the payments service. Lunch later?'),
      message(3, 'lol'),
      message(4, 'I think the payments service migration broke the release build.'),
      message(5, 'Nice weather today.'),
      message(6, 'Rolling back the payments migration fixes the release build.'),
    ];
    const points = await provider.summarize(messages, 2);
    const onTopic = [messages[1]?.id, messages[3]?.id, messages[5]?.id];
    expect(points).toHaveLength(2);
    for (const point of points) expect(onTopic).toContain(point.messageId);
    expect(points.map((point) => point.at)).toEqual(points.map((point) => point.at).sort());
    // A sentence is quoted, not the whole message: the lunch question stays out.
    expect(points.map((point) => point.text).join(' ')).not.toContain('Lunch');
  });

  it('keeps quoted text display-safe and never repeats a sentence', async () => {
    const points = await provider.summarize(
      [message(1, 'use &lt;b&gt; tags for deploy notes'), message(2, 'use &lt;b&gt; tags for deploy notes')],
      3,
    );
    expect(points).toHaveLength(1);
    expect(points[0]?.text).toBe('use &lt;b&gt; tags for deploy notes');
  });

  it('says nothing about a conversation with no words', async () => {
    expect(await provider.summarize([message(1, '👍'), message(2, '!!')], 3)).toEqual([]);
  });
});
