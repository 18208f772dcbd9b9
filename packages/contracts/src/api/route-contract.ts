import type { z } from 'zod';
import type { HttpErrorCode } from '../errors.js';
import type { Permission } from '../roles.js';
import type { ServiceName } from '../routes.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route. `permission` names an entry of the RBAC matrix (roles.ts) rather than roles,
 * so the document lists the roles the matrix grants today and cannot disagree with the guards.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  /** A signed-in caller, or anyone presenting a signed URL the platform handed out (media bytes). */
  | { kind: 'signed-in-or-signed-url' }
  | { kind: 'permission'; permission: Permission };

/** One answer a route gives when it works. */
export interface Outcome {
  status: number;
  description: string;
  /** The body's shape; none for a bodiless answer (204, a redirect). */
  schema?: z.ZodType;
  /** `application/json` unless said otherwise. */
  contentType?: string;
}

/**
 * One public REST route: the single source for its handler's input parsing, for the OpenAPI document
 * and (later) for the typed client. Paths are written OpenAPI-style (`/sessions/{id}`).
 */
export interface RouteContract {
  service: ServiceName;
  /** Unique over every service; the name a generated client gives the call. */
  operationId: string;
  method: HttpMethod;
  path: string;
  summary: string;
  description?: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  /**
   * Request headers the route reads besides `Authorization` (an object schema keyed by the header's
   * name). Documented only: the handler reads them itself, since Koa lower-cases header names.
   */
  headers?: z.ZodType;
  body?: z.ZodType;
  /**
   * A `multipart/form-data` body instead of JSON (its fields as an object schema). Documented only:
   * the handler streams it itself, so a large file never sits whole in memory.
   */
  upload?: z.ZodType;
  success: Outcome;
  /** Other answers that are not failures (a redirect instead of JSON, for instance). */
  alternatives?: readonly Outcome[];
  /**
   * The codes the route itself refuses with. Codes every route of its kind may answer (rate limits,
   * token problems, validation) are added by the generator from `access` and the declared inputs.
   */
  errors: readonly HttpErrorCode[];
}

/** Declares a route, keeping its literal types (the schemas' own types reach the handlers and a client). */
export function route<const R extends RouteContract>(contract: R): R {
  return contract;
}

/** A list of contracts keyed by operation id, each keeping its literal type. */
export type ContractsById<T extends readonly RouteContract[]> = { [R in T[number] as R['operationId']]: R };

/** Keys a service's contracts by operation id, so a route module names the one it registers. */
export function byOperationId<const T extends readonly RouteContract[]>(routes: T): ContractsById<T> {
  // fromEntries types its result as a plain record; the mapped type is what it builds.
  return Object.fromEntries(routes.map((r) => [r.operationId, r])) as ContractsById<T>;
}

/** The path as Koa and uWebSockets.js write it: `/sessions/{id}` -> `/sessions/:id`. */
export function routerPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}
