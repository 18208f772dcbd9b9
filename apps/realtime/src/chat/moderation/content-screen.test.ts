import { afinnSentiment, obscenityScreen, sentimentBand } from './content-screen.js';

describe('obscenityScreen', () => {
  const screen = obscenityScreen();

  it('passes ordinary text untouched', () => {
    expect(screen.screen('See you at the standup tomorrow')).toEqual({
      flagged: false,
      terms: [],
      masked: 'See you at the standup tomorrow',
    });
  });

  it('flags profanity, names the word and stars exactly the match', () => {
    const result = screen.screen('what the fuck is this');
    expect(result.flagged).toBe(true);
    expect(result.terms).toEqual(['fuck']);
    expect(result.masked).toBe('what the **** is this');
  });

  it('sees through disguises such as repeated letters and leet speak', () => {
    expect(screen.screen('fuuuuck').flagged).toBe(true);
    expect(screen.screen('sh1t happens').flagged).toBe(true);
  });

  it('does not flag innocent words that contain a bad one', () => {
    expect(screen.screen('I live in Scunthorpe and passed the assessment').flagged).toBe(false);
  });
});

describe('afinnSentiment', () => {
  const scorer = afinnSentiment();

  it('scores warm text above zero, hostile text below, and plain text at zero', () => {
    expect(sentimentBand(scorer.score('Thanks, this is great and I love it'))).toBe('positive');
    expect(sentimentBand(scorer.score('This is terrible, I hate it'))).toBe('negative');
    expect(sentimentBand(scorer.score('The meeting is at noon'))).toBe('neutral');
  });
});
