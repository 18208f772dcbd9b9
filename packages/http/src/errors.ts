// The error type lives in contracts, beside the catalogue that fixes its status, so a package below
// the Koa kit (the identity queries in db) can throw it too. Re-exported for the kit's users.
export { AppError, assertThat, Errors, type AppErrorOptions, type FieldError } from '@platform/contracts';
