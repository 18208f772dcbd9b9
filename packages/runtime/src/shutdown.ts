import { flushTelemetry, type Logger } from '@platform/observability';

/**
 * On SIGTERM or SIGINT, runs `stop` once, sends the spans still buffered, then exits: 0 when it
 * settled cleanly, 1 when it failed or, with `graceMs`, did not settle in time. The shape every non-Koa main.ts ends with.
 */
export function exitOnSignals(log: Logger, stop: () => Promise<void>, graceMs?: number): void {
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'shutting down');
    if (graceMs !== undefined) {
      setTimeout(() => {
        log.error('shutdown grace period over; exiting');
        process.exit(1);
      }, graceMs).unref();
    }
    stopping ??= stop()
      .then(
        () => 0,
        (error: unknown) => {
          log.error({ err: error }, 'unclean shutdown');
          return 1;
        },
      )
      .then(async (code) => {
        await flushTelemetry();
        process.exit(code);
      });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
