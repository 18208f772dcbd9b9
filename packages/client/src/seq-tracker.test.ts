import { SeqTracker } from './seq-tracker.js';

describe('SeqTracker', () => {
  it('lets each message of a conversation through once, live or synced', () => {
    const tracker = new SeqTracker();
    tracker.follow('c1', 2);
    expect(tracker.accept('c1', 3)).toBe('new');
    expect(tracker.accept('c1', 3)).toBe('duplicate');
    expect(tracker.accept('c1', 2)).toBe('duplicate');
    expect(tracker.accept('c2', 3)).toBe('new');
  });

  it('asks chat.sync for everything after the last seq below which nothing is missing', () => {
    const tracker = new SeqTracker();
    tracker.follow('c1', 0);
    tracker.accept('c1', 1);
    tracker.accept('c1', 2);
    tracker.accept('c1', 5);
    expect(tracker.after('c1')).toBe(2);
    expect(tracker.hasGap('c1')).toBe(true);
    expect(tracker.syncRequest()).toEqual([{ id: 'c1', after: 2 }]);
    // The sync answers 3..5: 3 and 4 are new, 5 was already shown.
    expect(['3', '4', '5'].map((seq) => tracker.accept('c1', Number(seq)))).toEqual([
      'new',
      'new',
      'duplicate',
    ]);
    expect(tracker.after('c1')).toBe(5);
    expect(tracker.hasGap('c1')).toBe(false);
  });

  it('starts a conversation it did not follow just before its first message, so no old history is fetched', () => {
    const tracker = new SeqTracker();
    expect(tracker.accept('group', 40)).toBe('new');
    expect(tracker.after('group')).toBe(40);
    expect(tracker.hasGap('group')).toBe(false);
  });

  it('keeps what it follows already when the snapshot of a new socket names the conversation again', () => {
    const tracker = new SeqTracker();
    tracker.follow('c1', 3);
    tracker.follow('c1', 9);
    expect(tracker.after('c1')).toBe(3);
  });
});
