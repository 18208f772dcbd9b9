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

describe('WS_COALESCE_MS', () => {
  const field = realtimeConfigSchema.shape.WS_COALESCE_MS;

  it('is off (0) unless set, and takes a window of up to a second', () => {
    expect(field.parse(undefined)).toBe(0);
    expect(field.parse('25')).toBe(25);
    expect(field.parse('1000')).toBe(1000);
  });

  it('refuses a negative or longer window', () => {
    expect(field.safeParse('-1').success).toBe(false);
    expect(field.safeParse('1001').success).toBe(false);
  });
});
