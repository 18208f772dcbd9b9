import { Code, ConnectError } from '@connectrpc/connect';
import { AppError, ERROR_CATALOGUE, type HttpErrorCode } from '@platform/contracts';

/** The trailer that carries the catalogue's code, so a caller gets back exactly the server's code. */
export const PROBLEM_CODE_KEY = 'problem-code';

/** Codes whose status alone would pick a weaker gRPC code. */
const BY_CODE: Partial<Record<HttpErrorCode, Code>> = {
  conflict: Code.Aborted,
  email_taken: Code.AlreadyExists,
  identity_taken: Code.AlreadyExists,
  account_exists: Code.AlreadyExists,
  overloaded: Code.ResourceExhausted,
};

/** From the catalogue's HTTP status to the gRPC code with the same meaning (as gRPC's HTTP mapping). */
const BY_STATUS: Record<number, Code> = {
  400: Code.InvalidArgument,
  401: Code.Unauthenticated,
  403: Code.PermissionDenied,
  404: Code.NotFound,
  405: Code.Unimplemented,
  406: Code.InvalidArgument,
  409: Code.FailedPrecondition,
  413: Code.InvalidArgument,
  415: Code.InvalidArgument,
  416: Code.OutOfRange,
  // message_refused: the request is well-formed, its content is what the conversation refuses.
  422: Code.FailedPrecondition,
  423: Code.FailedPrecondition,
  426: Code.Unimplemented,
  429: Code.ResourceExhausted,
  500: Code.Internal,
  501: Code.Unimplemented,
  502: Code.Unavailable,
  503: Code.Unavailable,
};

/** The gRPC status an error code of the catalogue is sent with. */
export function grpcCodeOf(code: HttpErrorCode): Code {
  return BY_CODE[code] ?? BY_STATUS[ERROR_CATALOGUE[code].status] ?? Code.Unknown;
}

/** Where a peer sent no catalogue code (another implementation, the transport itself). */
const PROBLEM_BY_GRPC: Record<Code, HttpErrorCode> = {
  [Code.Canceled]: 'service_unavailable',
  [Code.Unknown]: 'internal_error',
  [Code.InvalidArgument]: 'validation_failed',
  [Code.DeadlineExceeded]: 'service_unavailable',
  [Code.NotFound]: 'not_found',
  [Code.AlreadyExists]: 'conflict',
  [Code.PermissionDenied]: 'forbidden',
  [Code.ResourceExhausted]: 'overloaded',
  [Code.FailedPrecondition]: 'conflict',
  [Code.Aborted]: 'conflict',
  [Code.OutOfRange]: 'validation_failed',
  [Code.Unimplemented]: 'not_implemented',
  [Code.Internal]: 'internal_error',
  [Code.Unavailable]: 'service_unavailable',
  [Code.DataLoss]: 'internal_error',
  [Code.Unauthenticated]: 'unauthorized',
};

function isHttpErrorCode(value: string | null): value is HttpErrorCode {
  return (
    value !== null && value in ERROR_CATALOGUE && ERROR_CATALOGUE[value as HttpErrorCode].status !== null
  );
}

/**
 * Server side: an AppError becomes the ConnectError of its meaning with the catalogue code in the
 * trailers; a ConnectError passes as it is; anything else is INTERNAL with a generic message, as a
 * REST 500 is, so no internals leak to the caller (the caller of `toConnectError` logs the cause).
 */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof AppError) {
    return new ConnectError(
      error.detail,
      grpcCodeOf(error.code),
      { [PROBLEM_CODE_KEY]: error.code },
      undefined,
      error,
    );
  }
  if (error instanceof ConnectError) return error;
  return new ConnectError('Something went wrong on our side.', Code.Internal, {
    [PROBLEM_CODE_KEY]: 'internal_error',
  });
}

/** Client side: what a failed call means in the catalogue, the server's own code when it sent one. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const connect = ConnectError.from(error);
  const sent = connect.metadata.get(PROBLEM_CODE_KEY);
  const code = isHttpErrorCode(sent) ? sent : PROBLEM_BY_GRPC[connect.code];
  return new AppError(code, connect.rawMessage);
}
