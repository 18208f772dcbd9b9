import { ConnectError } from '@connectrpc/connect';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { AppError, ERROR_CATALOGUE } from '@platform/contracts';
import { toAppError } from '@platform/grpc';
import type { Logger } from '@platform/observability';

const INTERNAL = 'Something went wrong on our side.';

function isCatalogued(code: unknown): boolean {
  return typeof code === 'string' && code in ERROR_CATALOGUE;
}

/** The same error at the same place in the query, with the catalogue's code in `extensions`. */
function withCode(error: GraphQLError, message: string, code: string, extra: object = {}): GraphQLError {
  const { http } = error.extensions;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { code, ...extra, ...(http === undefined ? {} : { http }) },
  });
}

/**
 * Every error a client sees carries `extensions.code` from the one catalogue, as problem+json does:
 * an AppError keeps its code (and field errors), a backend's gRPC status becomes the code the
 * service sent, the query's own mistakes (syntax, unknown field, bad variable) are
 * `validation_failed` or `bad_request`, and anything else is a logged `internal_error` whose message
 * never reaches the client.
 */
export function maskError(error: unknown, log: Logger): GraphQLError {
  const graphql =
    error instanceof GraphQLError ? error : new GraphQLError(INTERNAL, { originalError: error as Error });
  const original = graphql.originalError;
  if (original instanceof AppError || original instanceof ConnectError) {
    const app = toAppError(original);
    if (app.code === 'internal_error') log.error({ err: original }, 'backend failed');
    const errors = app.options.errors === undefined ? {} : { errors: app.options.errors };
    return withCode(graphql, app.code === 'internal_error' ? INTERNAL : app.detail, app.code, errors);
  }
  if (original === undefined || original === null || original instanceof GraphQLError) {
    // Raised by graphql or yoga about the request itself, or a refusal of ours (depth, cost).
    if (isCatalogued(graphql.extensions.code)) return graphql;
    const code = graphql.extensions.http === undefined ? 'validation_failed' : 'bad_request';
    return withCode(graphql, graphql.message, code);
  }
  log.error({ err: original, path: graphql.path }, 'resolver failed');
  return withCode(graphql, INTERNAL, 'internal_error');
}

/** Yoga's and graphql's own codes for a request's mistakes, in the catalogue's words. */
const FOREIGN_CODES: Record<string, string> = {
  GRAPHQL_PARSE_FAILED: 'bad_request',
  GRAPHQL_VALIDATION_FAILED: 'validation_failed',
  BAD_USER_INPUT: 'validation_failed',
};

/** The error with a catalogue code: its own when it has one, else what its graphql code means. */
export function catalogued(error: GraphQLError): GraphQLError {
  const { code } = error.extensions;
  if (isCatalogued(code)) return error;
  const mapped = typeof code === 'string' ? FOREIGN_CODES[code] : undefined;
  return withCode(error, error.message, mapped ?? 'validation_failed');
}

function isExecutionResult(value: unknown): value is ExecutionResult {
  return typeof value === 'object' && value !== null && !(Symbol.asyncIterator in value);
}

/**
 * The last word on every answer's errors: refusals raised before execution (parse, validation,
 * variables) never pass through `maskError`, so their codes are put in the catalogue's words here.
 */
export function catalogueCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (!isExecutionResult(result) || result.errors === undefined) return;
      const errors = result.errors.map((error) =>
        error instanceof GraphQLError ? catalogued(error) : error,
      );
      setResult({ ...result, errors });
    },
  };
}

/** A refusal for a subscription socket: the catalogue code, without the HTTP status (there is none). */
export function socketError(error: GraphQLError): GraphQLError {
  const coded = catalogued(error);
  const { http: _status, ...extensions } = coded.extensions;
  return new GraphQLError(coded.message, {
    nodes: coded.nodes,
    source: coded.source,
    positions: coded.positions,
    path: coded.path,
    extensions,
  });
}
