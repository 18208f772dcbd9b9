import { TypingThrottle, type Clock } from './typing.js';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  let timers: { at: number; run: () => void; id: number }[] = [];
  let nextId = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: (run, ms) => {
      nextId += 1;
      timers.push({ at: now + ms, run, id: nextId });
      return nextId;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    const due = timers.filter((t) => t.at <= now);
    timers = timers.filter((t) => t.at > now);
    for (const t of due) t.run();
  };
  return { clock, advance };
}

describe('TypingThrottle', () => {
  it('sends typing on at most once per 3 s while keys keep coming', () => {
    const { clock, advance } = manualClock();
    const sent: boolean[] = [];
    const typing = new TypingThrottle<string>(
      (_t, on) => sent.push(on),
      { throttleMs: 3000, idleMs: 5000 },
      clock,
    );
    for (let i = 0; i < 20; i += 1) {
      typing.keystroke('c1', 'c1');
      advance(400);
    }
    // 8 s of typing: on at 0, 3.2 s and 6.4 s.
    expect(sent).toEqual([true, true, true]);
  });

  it('sends off after a pause, and on again when typing resumes', () => {
    const { clock, advance } = manualClock();
    const sent: boolean[] = [];
    const typing = new TypingThrottle<string>(
      (_t, on) => sent.push(on),
      { throttleMs: 3000, idleMs: 5000 },
      clock,
    );
    typing.keystroke('c1', 'c1');
    advance(4999);
    expect(sent).toEqual([true]);
    advance(1);
    expect(sent).toEqual([true, false]);
    typing.keystroke('c1', 'c1');
    expect(sent).toEqual([true, false, true]);
  });

  it('sends off at once when the message is sent, and nothing when it was not typing', () => {
    const { clock } = manualClock();
    const sent: [string, boolean][] = [];
    const typing = new TypingThrottle<string>((t, on) => sent.push([t, on]), undefined, clock);
    typing.stop('c1');
    typing.keystroke('c1', 'c1');
    typing.keystroke('c2', 'c2');
    typing.stop('c1');
    expect(sent).toEqual([
      ['c1', true],
      ['c2', true],
      ['c1', false],
    ]);
  });
});
