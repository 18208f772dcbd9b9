import { z } from 'zod';
import { positiveInt, workerFragment } from '@platform/config';

/** Everything worker-logs reads from the environment, with defaults. */
export const logsConfigSchema = z.object({
  ...workerFragment(3006, 9106),
  /** Rows written per INSERT; a batch is written when it is this full ... */
  LOG_BATCH_SIZE: positiveInt(500),
  /** ... or when its oldest record has waited this long. */
  LOG_BATCH_MAX_WAIT_MS: positiveInt(1_000),
  /** Request and audit logs older than this are deleted. */
  LOG_RETENTION_DAYS: positiveInt(90),
  LOG_PURGE_INTERVAL_MINUTES: positiveInt(60),
});

export type LogsConfig = z.infer<typeof logsConfigSchema>;
