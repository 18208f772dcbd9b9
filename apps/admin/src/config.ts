import { z } from 'zod';
import {
  amqpFragment,
  baseFragment,
  databaseFragment,
  httpFragment,
  jwtVerifyFragment,
  redisFragment,
} from '@platform/config';

/** Everything the admin service reads from the environment, with defaults. */
export const adminConfigSchema = z.object({
  ...baseFragment,
  ...httpFragment(3003, 9103),
  ...databaseFragment,
  ...redisFragment,
  ...amqpFragment,
  ...jwtVerifyFragment,
});

export type AdminConfig = z.infer<typeof adminConfigSchema>;
