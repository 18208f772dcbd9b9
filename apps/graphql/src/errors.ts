import { ConnectError } from '@connectrpc/connect';
import { GraphQLError } from 'graphql';
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
