import { loadConfig } from '@platform/config';
import { stackConfigSchema } from './config.js';
import type { HttpServiceSpec } from './service-table.js';
import { busyMessage, ownPorts, ownersByLabel, portClaims } from './stack-ports.js';

const config = loadConfig(stackConfigSchema, {});
const auth: HttpServiceSpec = {
  kind: 'http',
  name: 'auth',
  dir: 'auth',
  port: 3001,
  metricsPort: 0,
};

describe('ownPorts', () => {
  it('claims the edge only when no mail sink starts', () => {
    expect(ownPorts(config, false)).toEqual([{ label: 'edge', port: 8080, host: '127.0.0.1' }]);
  });

  it('claims the sink and its inbox on loopback when one starts', () => {
    expect(ownersByLabel(ownPorts(config, true))).toEqual({
      edge: 8080,
      'mail sink': 1025,
      'mail inbox': 8025,
    });
  });
});

describe('portClaims', () => {
  it('lists every fixed port of the run and skips port 0', () => {
    expect(portClaims([auth], ownPorts(config, false)).map((c) => c.label)).toEqual(['edge', 'auth']);
  });
});

describe('busyMessage', () => {
  it('asks whether another run is still up', () => {
    expect(busyMessage([{ label: 'auth', port: 3001, host: '127.0.0.1' }])).toBe(
      'Already in use: 127.0.0.1:3001 (auth). Is another `pnpm start` still running? Stop it, or free these ports.',
    );
  });

  it('offers SMTP_HOST and the sink port settings when a mail catcher holds the sink port', () => {
    const message = busyMessage([{ label: 'mail sink', port: 1025, host: '127.0.0.1' }]);
    expect(message).toMatch(/127\.0\.0\.1:1025 \(mail sink\)/);
    expect(message).toMatch(/SMTP_HOST=127\.0\.0\.1 SMTP_PORT=<its port>.*MAIL_SINK_SMTP_PORT/);
  });
});
