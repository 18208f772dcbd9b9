import { escapeText, unescapeText } from '../text.js';

/** One message as the summariser reads it; `text` as stored (display-safe, entities escaped). */
export interface SummaryInput {
  id: string;
  from: string;
  at: string;
  text: string;
}

/** A sentence the summary quotes, with the message it came from; `text` is display-safe. */
export interface SummaryPoint {
  messageId: string;
  from: string;
  at: string;
  text: string;
}

/**
 * The summary provider. The extractive one below runs in-process with no model; an LLM endpoint would
 * implement the same interface (send the messages, return points citing message ids) and be chosen
 * by CHAT_SUMMARY_PROVIDER (docs/architecture.md).
 */
export interface SummaryProvider {
  readonly name: string;
  summarize(messages: readonly SummaryInput[], maxPoints: number): Promise<SummaryPoint[]>;
}

// Words too common to say what a conversation is about (English; other languages rank by frequency alone).
const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can do does did for from had has have he her him his how i if in ' +
    'into is it its just me my no not of on or our she so than that the their them then there these ' +
    'they this to too us was we were what when where which who why will with would you your yes ok okay ' +
    "im it's i'm don't dont can't cant let's lets get got also about all any some one"
  ).split(' '),
);

const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });
const words = new Intl.Segmenter('en', { granularity: 'word' });

function contentWords(sentence: string): string[] {
  const found: string[] = [];
  for (const part of words.segment(sentence)) {
    const word = part.segment.toLowerCase();
    if (part.isWordLike && word.length > 1 && !STOPWORDS.has(word)) found.push(word);
  }
  return found;
}

interface Candidate {
  input: SummaryInput;
  sentence: string;
  terms: string[];
  order: number;
}

/**
 * Luhn-style extractive summary: every sentence of the messages is scored by how frequent its content
 * words are across the whole conversation (normalised to the most frequent word), divided by the
 * square root of its length so long sentences do not win by size alone; the best `maxPoints` distinct
 * sentences are quoted in the order they were written.
 */
export function extractiveSummary(): SummaryProvider {
  return {
    name: 'extractive',
    summarize(messages, maxPoints) {
      const candidates: Candidate[] = [];
      const frequency = new Map<string, number>();
      for (const input of messages) {
        for (const part of sentences.segment(unescapeText(input.text))) {
          const sentence = part.segment.trim();
          const terms = contentWords(sentence);
          if (terms.length === 0) continue;
          candidates.push({ input, sentence, terms, order: candidates.length });
          for (const term of terms) frequency.set(term, (frequency.get(term) ?? 0) + 1);
        }
      }
      const top = Math.max(1, ...frequency.values());
      const score = ({ terms }: Candidate) =>
        terms.reduce((sum, term) => sum + (frequency.get(term) ?? 0) / top, 0) / Math.sqrt(terms.length);
      const seen = new Set<string>();
      const chosen = candidates
        .map((candidate) => ({ candidate, score: score(candidate) }))
        .sort((a, b) => b.score - a.score || a.candidate.order - b.candidate.order)
        .filter(({ candidate }) => {
          const key = candidate.sentence.toLowerCase();
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        })
        .slice(0, Math.max(0, maxPoints))
        .map(({ candidate }) => candidate)
        .sort((a, b) => a.order - b.order);
      return Promise.resolve(
        chosen.map(({ input, sentence }) => ({
          messageId: input.id,
          from: input.from,
          at: input.at,
          text: escapeText(sentence),
        })),
      );
    },
  };
}
