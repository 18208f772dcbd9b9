import { EventEmitter } from 'node:events';
import type { ConfirmChannel } from 'amqplib';
import {
  BusClosedError,
  BusDisconnectedError,
  PublishBufferFullError,
  PublishNackedError,
} from './errors.js';
import { Publisher, type OutgoingMessage } from './publisher.js';

type Confirm = (error: Error | null) => void;

/** Just enough of an amqplib confirm channel: records writes and lets the test confirm them. */
class FakeChannel extends EventEmitter {
  readonly sent: Array<{ id: string; confirm: Confirm }> = [];
  writable = true;
  closed = false;

  publish(
    _exchange: string,
    _key: string,
    _content: Buffer,
    options: { messageId: string },
    confirm: Confirm,
  ) {
    if (this.closed) throw new Error('Channel closed');
    this.sent.push({ id: options.messageId, confirm });
    return this.writable;
  }

  ackAll(): void {
    for (const { confirm } of this.sent.splice(0)) confirm(null);
  }

  /** What amqplib does when the connection drops: every unconfirmed callback fails. */
  lose(): void {
    this.closed = true;
    for (const { confirm } of this.sent.splice(0)) confirm(new Error('channel closed'));
  }

  asChannel(): ConfirmChannel {
    return this as unknown as ConfirmChannel;
  }
}

const message = (id: string): OutgoingMessage => ({
  exchange: 'x',
  routingKey: 'k',
  content: Buffer.from(id),
  options: { messageId: id },
});

describe('Publisher', () => {
  it('resolves a publish when the broker confirms it', async () => {
    const publisher = new Publisher(10);
    const channel = new FakeChannel();
    publisher.attach(channel.asChannel());
    const done = publisher.publish(message('a'));
    channel.ackAll();
    await expect(done).resolves.toBeUndefined();
  });

  it('rejects a publish the broker nacks', async () => {
    const publisher = new Publisher(10);
    const channel = new FakeChannel();
    publisher.attach(channel.asChannel());
    const done = publisher.publish(message('a'));
    channel.sent[0]?.confirm(new Error('message nacked'));
    await expect(done).rejects.toBeInstanceOf(PublishNackedError);
  });

  it('buffers while disconnected and sends in order once a channel is attached', async () => {
    const publisher = new Publisher(10);
    const results = ['a', 'b', 'c'].map((id) => publisher.publish(message(id)));
    expect(publisher.buffered).toBe(3);
    const channel = new FakeChannel();
    publisher.attach(channel.asChannel());
    expect(channel.sent.map((s) => s.id)).toEqual(['a', 'b', 'c']);
    channel.ackAll();
    await Promise.all(results);
  });

  it('rejects at once with PublishBufferFullError when the buffer is full', async () => {
    const publisher = new Publisher(2);
    void publisher.publish(message('a'));
    void publisher.publish(message('b'));
    await expect(publisher.publish(message('c'))).rejects.toBeInstanceOf(PublishBufferFullError);
  });

  it('sends again, ahead of newer messages, what lost its confirm with the connection', async () => {
    const publisher = new Publisher(10);
    const first = new FakeChannel();
    publisher.attach(first.asChannel());
    const results = [publisher.publish(message('a')), publisher.publish(message('b'))];
    first.lose();
    publisher.detach();
    results.push(publisher.publish(message('c')));
    const second = new FakeChannel();
    publisher.attach(second.asChannel());
    expect(second.sent.map((s) => s.id)).toEqual(['a', 'b', 'c']);
    second.ackAll();
    await Promise.all(results);
  });

  it('stops writing when the socket is full and resumes on drain', async () => {
    const publisher = new Publisher(10);
    const channel = new FakeChannel();
    channel.writable = false;
    publisher.attach(channel.asChannel());
    const results = [publisher.publish(message('a')), publisher.publish(message('b'))];
    expect(channel.sent.map((s) => s.id)).toEqual(['a']);
    expect(publisher.buffered).toBe(1);
    channel.writable = true;
    channel.emit('drain');
    expect(channel.sent.map((s) => s.id)).toEqual(['a', 'b']);
    channel.ackAll();
    await Promise.all(results);
  });

  it('fails publishNow at once while disconnected instead of buffering', async () => {
    const publisher = new Publisher(10);
    await expect(publisher.publishNow(message('a'))).rejects.toBeInstanceOf(BusDisconnectedError);
    expect(publisher.buffered).toBe(0);
  });

  it('reports idle only after every confirm has arrived', async () => {
    const publisher = new Publisher(10);
    const channel = new FakeChannel();
    publisher.attach(channel.asChannel());
    void publisher.publish(message('a'));
    expect(await publisher.waitForIdle(10)).toBe(false);
    const idle = publisher.waitForIdle(1_000);
    channel.ackAll();
    expect(await idle).toBe(true);
  });

  it('rejects buffered and later publishes with BusClosedError after close', async () => {
    const publisher = new Publisher(10);
    const buffered = publisher.publish(message('a'));
    publisher.close();
    await expect(buffered).rejects.toBeInstanceOf(BusClosedError);
    await expect(publisher.publish(message('b'))).rejects.toBeInstanceOf(BusClosedError);
  });
});
