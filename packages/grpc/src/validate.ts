import type { z } from 'zod';
import { AppError } from '@platform/contracts';

/**
 * Parses a request with the same zod schema REST uses, or refuses it as `validation_failed`
 * (INVALID_ARGUMENT). gRPC carries no `errors[]`, so the detail names each refused field.
 */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(request)',
    message: issue.message,
  }));
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  throw new AppError('validation_failed', `The request is not valid (${detail}).`, { errors });
}
