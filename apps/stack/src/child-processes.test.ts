import { PassThrough } from 'node:stream';
import {
  describeExit,
  pipePrefixed,
  stopServices,
  type ChildExit,
  type ServiceProcess,
} from './child-processes.js';

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

/** A child that exits on the signals listed in `diesOn`. */
function fakeChild(name: string, diesOn: NodeJS.Signals[]) {
  let finish: (exit: ChildExit) => void = () => undefined;
  const exited = new Promise<ChildExit>((resolve) => (finish = resolve));
  let running = true;
  const signals: NodeJS.Signals[] = [];
  const child: ServiceProcess = {
    name,
    exited,
    isRunning: () => running,
    kill: (signal) => {
      signals.push(signal);
      if (!diesOn.includes(signal)) return;
      running = false;
      finish({ code: null, signal });
    },
  };
  return { child, signals };
}

describe('pipePrefixed', () => {
  it('prefixes every line and keeps lines split across chunks whole', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const text = collect(output);
    pipePrefixed(input, output, 'auth  | ');
    input.write('{"level":30,"msg":"hel');
    input.write('lo"}\n{"level":40}\r\npartial');
    input.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(text()).toBe('auth  | {"level":30,"msg":"hello"}\nauth  | {"level":40}\nauth  | partial\n');
  });
});

describe('stopServices', () => {
  it('sends SIGTERM and no SIGKILL to children that stop in time', async () => {
    const a = fakeChild('auth', ['SIGTERM']);
    const onForce = jest.fn();
    await stopServices([a.child], 1_000, onForce);
    expect(a.signals).toEqual(['SIGTERM']);
    expect(onForce).not.toHaveBeenCalled();
  });

  it('kills children that ignore SIGTERM once the grace period is over', async () => {
    const polite = fakeChild('auth', ['SIGTERM']);
    const stubborn = fakeChild('users', ['SIGKILL']);
    const onForce = jest.fn();
    await stopServices([polite.child, stubborn.child], 20, onForce);
    expect(stubborn.signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(polite.signals).toEqual(['SIGTERM']);
    expect(onForce).toHaveBeenCalledWith(['users']);
  });
});

describe('describeExit', () => {
  it('says how a child ended', () => {
    expect(describeExit({ code: 1, signal: null })).toBe('exited with code 1');
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('was killed by SIGKILL');
    expect(describeExit({ code: null, signal: null, error: new Error('spawn EACCES') })).toBe(
      'could not start (spawn EACCES)',
    );
  });
});
