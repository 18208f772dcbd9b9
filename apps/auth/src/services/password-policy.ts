import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn score 3 = "safely unguessable: moderate protection from offline slow-hash scenario". */
export const PASSWORD_MIN_SCORE = 3;

zxcvbnOptions.setOptions({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
  // zxcvbn runs on the event loop and is superlinear in length and l33t variants: with the library's
  // defaults one crafted 128-character password took ~3 s here. Scoring the first 64 characters with
  // at most 2 substitutions keeps the worst case near 80 ms (length is checked separately).
  maxLength: 64,
  l33tMaxSubstitutions: 2,
});

/** Why a password is refused, in words a person can act on; undefined when it is acceptable. */
export function passwordWeakness(password: string, userInputs: string[] = []): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    return `Use at least ${PASSWORD_MIN_LENGTH} characters (this one has ${length}).`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const inputs = userInputs
    .flatMap((input) => [input, input.split('@')[0] ?? '', ...input.split(/[@._+-]/)])
    .filter((s) => s.length >= 3);
  const result = zxcvbn(password, inputs);
  if (result.score >= PASSWORD_MIN_SCORE) return undefined;
  const reasons = [result.feedback.warning, ...result.feedback.suggestions].filter((s): s is string =>
    Boolean(s),
  );
  const why = reasons.length ? reasons.join(' ') : 'It would be guessed too quickly.';
  return `This password is too easy to guess. ${why}`;
}
