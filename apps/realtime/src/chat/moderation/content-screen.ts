import {
  asteriskCensorStrategy,
  englishDataset,
  englishRecommendedTransformers,
  RegExpMatcher,
  TextCensor,
} from 'obscenity';
import Sentiment from 'sentiment';

/** What a screen found in one text: whether it is offensive, the words, and the text with them starred. */
export interface Screening {
  flagged: boolean;
  /** The dataset's words that matched (`fuck` for `fuuuck`), each once. */
  terms: string[];
  /** The text with every match replaced by asterisks of its length. */
  masked: string;
}

/**
 * The moderation provider: decides what in a text is offensive. The obscenity screen is the default;
 * a hosted classifier or an LLM endpoint would implement this same interface (docs/architecture.md).
 */
export interface ContentScreen {
  readonly name: string;
  screen(text: string): Screening;
}

/** The sentiment provider: a score per text, about -5 (hostile) to 5 (warm), 0 for neutral. */
export interface SentimentScorer {
  readonly name: string;
  score(text: string): number;
}

/**
 * English profanity, slurs and their disguises (leet speak, repeated letters, look-alike characters)
 * with the `obscenity` library's maintained dataset and its recommended transformers, which also keep
 * innocent words that contain a bad one ("Scunthorpe") from matching.
 */
export function obscenityScreen(): ContentScreen {
  const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  const censor = new TextCensor().setStrategy(asteriskCensorStrategy());
  return {
    name: 'obscenity',
    screen(text) {
      const matches = matcher.getAllMatches(text, true);
      if (matches.length === 0) return { flagged: false, terms: [], masked: text };
      const terms = new Set<string>();
      for (const match of matches) {
        const word = englishDataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord;
        if (word) terms.add(word);
      }
      return { flagged: true, terms: [...terms], masked: censor.applyTo(text, matches) };
    },
  };
}

/** AFINN-165 word scores (the `sentiment` library): the comparative score, total over word count. */
export function afinnSentiment(): SentimentScorer {
  const analyser = new Sentiment();
  return {
    name: 'afinn',
    score(text) {
      const { comparative } = analyser.analyze(text);
      return Number.isFinite(comparative) ? comparative : 0;
    },
  };
}

/** Scores within this of zero count as neutral. */
export const SENTIMENT_THRESHOLD = 0.05;

/** Where a score falls, for the metric's label and the summary's counts. */
export function sentimentBand(score: number): 'positive' | 'neutral' | 'negative' {
  if (score > SENTIMENT_THRESHOLD) return 'positive';
  if (score < -SENTIMENT_THRESHOLD) return 'negative';
  return 'neutral';
}
