import type { TFunction } from 'i18next';
import { ApiError } from '../sdk.js';

/**
 * The text to show for a failure: the server's own `detail` for an answer (it is written for people),
 * the translated "cannot be reached" for a network failure.
 */
export function failureText(error: unknown, t: TFunction): string {
  return error instanceof ApiError ? error.detail : t('errors.offline');
}
