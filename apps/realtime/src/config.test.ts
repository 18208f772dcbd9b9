import { realtimeConfigSchema } from './config.js';

describe('CHAT_MAX_GROUP_MEMBERS', () => {
  const field = realtimeConfigSchema.shape.CHAT_MAX_GROUP_MEMBERS;

  it('defaults to 500 and goes up to 10 000', () => {
    expect(field.parse(undefined)).toBe(500);
    expect(field.parse('10000')).toBe(10_000);
  });

  it('refuses more members than one fanout audience may list, and less than one', () => {
    expect(field.safeParse('10001').success).toBe(false);
    expect(field.safeParse('0').success).toBe(false);
  });
});
