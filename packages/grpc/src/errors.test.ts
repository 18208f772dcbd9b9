import { Code, ConnectError } from '@connectrpc/connect';
import { AppError, ERROR_CATALOGUE, type HttpErrorCode } from '@platform/contracts';
import { grpcCodeOf, PROBLEM_CODE_KEY, toAppError, toConnectError } from './errors.js';

const httpCodes = (Object.keys(ERROR_CATALOGUE) as (keyof typeof ERROR_CATALOGUE)[]).filter(
  (code): code is HttpErrorCode => ERROR_CATALOGUE[code].status !== null,
);

describe('the error mapping between the catalogue and gRPC status codes', () => {
  it.each([
    ['not_found', Code.NotFound],
    ['forbidden', Code.PermissionDenied],
    ['unauthorized', Code.Unauthenticated],
    ['token_revoked', Code.Unauthenticated],
    ['validation_failed', Code.InvalidArgument],
    ['conflict', Code.Aborted],
    ['email_taken', Code.AlreadyExists],
    ['last_admin', Code.FailedPrecondition],
    ['rate_limited', Code.ResourceExhausted],
    ['service_unavailable', Code.Unavailable],
    ['internal_error', Code.Internal],
  ] as const)('sends %s as %s', (code, grpc) => {
    expect(grpcCodeOf(code)).toBe(grpc);
  });

  it('gives every HTTP code of the catalogue a gRPC code other than UNKNOWN', () => {
    expect(httpCodes.filter((code) => grpcCodeOf(code) === Code.Unknown)).toEqual([]);
  });

  it('round-trips every code: the caller gets back the very code the server threw', () => {
    for (const code of httpCodes) {
      const back = toAppError(toConnectError(new AppError(code, 'detail')));
      expect({ code: back.code, detail: back.detail }).toEqual({ code, detail: 'detail' });
    }
  });

  it('maps a bare gRPC status from another peer to its problem code', () => {
    expect(toAppError(new ConnectError('gone', Code.NotFound)).code).toBe('not_found');
    expect(toAppError(new ConnectError('no', Code.PermissionDenied)).code).toBe('forbidden');
    expect(toAppError(new ConnectError('late', Code.DeadlineExceeded)).code).toBe('service_unavailable');
    expect(toAppError(new ConnectError('down', Code.Unavailable)).code).toBe('service_unavailable');
  });

  it('ignores a problem-code trailer that is not in the catalogue', () => {
    const error = new ConnectError('x', Code.NotFound, { [PROBLEM_CODE_KEY]: 'made_up' });
    expect(toAppError(error).code).toBe('not_found');
  });

  it('hides an unexpected error behind INTERNAL with a generic message', () => {
    const error = toConnectError(new Error('password=hunter2 in a stack'));
    expect(error.code).toBe(Code.Internal);
    expect(error.rawMessage).not.toContain('hunter2');
    expect(error.metadata.get(PROBLEM_CODE_KEY)).toBe('internal_error');
  });
});
