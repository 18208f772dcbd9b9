import type { z } from 'zod';
import { API_OPERATIONS } from '@platform/contracts';

/**
 * Every public REST route by operation id, with the literal types of its contract: the client's calls,
 * their inputs and their answers all come from here, so they follow the contracts (and /openapi.json)
 * without being restated.
 */
export const OPERATIONS = API_OPERATIONS;

type Operations = typeof OPERATIONS;
/** The name of one REST call (`login`, `getProfile`, `listConversations`...). */
export type OperationId = keyof Operations;

type Schema<R, K extends string> = R extends { [key in K]: infer S extends z.ZodType } ? S : never;

/** A query string's values as a caller writes them: the schema's text, or numbers and booleans. */
type QueryInput<T> = { [K in keyof T]: T[K] | number | boolean };

type Part<R, K extends 'params' | 'query' | 'body'> = [Schema<R, K>] extends [never]
  ? object
  : K extends 'query'
    ? { query?: QueryInput<z.input<Schema<R, K>>> }
    : { [key in K]: z.input<Schema<R, K>> };

/** What one call takes: its path parameters, query and body, each only where the route has one. */
export type RequestOf<Op extends OperationId> = Part<Operations[Op], 'params'> &
  Part<Operations[Op], 'query'> &
  Part<Operations[Op], 'body'>;

/** What one call answers when it works: its success schema's output, `undefined` for a bodiless answer. */
export type ResponseOf<Op extends OperationId> = Operations[Op]['success'] extends {
  schema: infer S extends z.ZodType;
}
  ? z.output<S>
  : undefined;

/** Whether every part of a request is optional, so the call may be made without an argument. */
type AllOptional<T> = object extends T ? true : false;

/** One typed REST call. */
export type Call<Op extends OperationId> =
  AllOptional<RequestOf<Op>> extends true
    ? (input?: RequestOf<Op>) => Promise<ResponseOf<Op>>
    : (input: RequestOf<Op>) => Promise<ResponseOf<Op>>;

/** The whole REST surface: one typed method per operation id. */
export type RestApi = { [Op in OperationId]: Call<Op> };

/** `/sessions/{id}` with `{ id }` -> `/sessions/<id>`, each value URL-encoded. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new TypeError(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

/** `?a=1&b=x` from a query object, leaving out undefined values. */
export function queryString(query: Record<string, unknown> | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
