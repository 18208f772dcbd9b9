import { z } from 'zod';
import {
  amqpFragment,
  baseFragment,
  databaseFragment,
  httpFragment,
  jwtVerifyFragment,
  redisFragment,
} from '@platform/config';

/** Everything the users service reads from the environment, with defaults. */
export const usersConfigSchema = z.object({
  ...baseFragment,
  ...httpFragment(3002, 9102),
  ...databaseFragment,
  ...redisFragment,
  ...amqpFragment,
  ...jwtVerifyFragment,
});

export type UsersConfig = z.infer<typeof usersConfigSchema>;
