import { Writable } from 'node:stream';
import { createLogger } from './logger.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines };
}

describe('createLogger', () => {
  it('never writes passwords, tokens or authorization headers', () => {
    const out = capture();
    createLogger('auth', 'info', out.stream).info(
      {
        password: 'hunter2hunter2',
        body: { refreshToken: 'opaque-refresh', password: 'nested-secret' },
        headers: { authorization: 'Bearer abc.def.ghi' },
      },
      'login attempt',
    );
    const [line] = out.lines();
    expect(JSON.stringify(line)).not.toMatch(/hunter2|opaque-refresh|nested-secret|abc\.def/);
    expect(line).toMatchObject({
      service: 'auth',
      level: 'info',
      msg: 'login attempt',
      password: '[redacted]',
    });
  });

  it('drops lines below its level', () => {
    const out = capture();
    const log = createLogger('users', 'warn', out.stream);
    log.info('quiet');
    log.warn('loud');
    expect(out.lines().map((l) => l.msg)).toEqual(['loud']);
  });
});
