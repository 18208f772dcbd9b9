import { flushTelemetry, type Logger } from '@platform/observability';

/**
 * On SIGTERM or SIGINT, runs `stop` once, sends the spans still buffered, then exits: 0 when it
 * settled cleanly, 1 when it failed or, with `graceMs`, did not settle in time. The end of every
 * service's main: the Koa services' `runHttpServer`, the gateway, the workers and realtime.
 */
export function exitOnSignals(log: Logger, stop: () => Promise<void>, graceMs?: number): void {
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'shutting down');
    // The grace bounds the stop only; the flush after it has its own bound (flushTelemetry's).
    const overdue =
      graceMs === undefined
        ? undefined
        : setTimeout(() => {
            log.error('shutdown grace period over; exiting');
            process.exit(1);
          }, graceMs).unref();
    stopping ??= stop()
      .then(
        () => 0,
        (error: unknown) => {
          log.error({ err: error }, 'unclean shutdown');
          return 1;
        },
      )
      .then(async (code) => {
        clearTimeout(overdue);
        await flushTelemetry();
        process.exit(code);
      });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
