import amqp from 'amqplib';
import { loadConfig } from '@platform/config';
import { EXCHANGES, namespaced, type Envelope, type QueueName, type Role } from '@platform/contracts';
import { MailSeal } from '@platform/runtime';
import {
  apiClient,
  backingServices,
  createTestEnvironment,
  eventually,
  seedUser,
  type ApiClient,
  type SeededUser,
  type TestEnvironment,
  type TestService,
} from '@platform/testkit';
import { createApp } from '../../src/app.js';
import { adminConfigSchema, type AdminConfig } from '../../src/config.js';

/** The admin service on its own database, Redis prefix and broker namespace, plus helpers. */
export interface Harness {
  env: TestEnvironment;
  admin: TestService<AdminConfig>;
  api: ApiClient;
  seed(role: Role, fields?: { email?: string; displayName?: string }): Promise<SeededUser>;
  /** Everything published to a queue (or, for `events`, the domain events exchange), in arrival order. */
  collect(queue: Source): Envelope[];
  /** Waits until a message on `queue` satisfies `match` and returns its payload. */
  waitFor<P = Record<string, unknown>>(
    queue: Source,
    what: string,
    match: (envelope: Envelope) => boolean,
  ): Promise<P>;
  close(): Promise<void>;
}

type Source = QueueName | 'events';

export async function startHarness(overrides: Record<string, string> = {}): Promise<Harness> {
  const env = await createTestEnvironment();
  const admin = await env.start(
    'admin',
    (e) => loadConfig(adminConfigSchema, e),
    (config, r) => createApp({ ...r, config }),
    overrides,
  );
  const received = new Map<Source, Envelope[]>();
  const mailSeal = MailSeal.fromKeys(undefined);
  // The service's own bus consumes the queues the workers would: nothing runs in the test but us.
  for (const queue of ['email', 'logs'] as const) {
    const list: Envelope[] = [];
    received.set(queue, list);
    await admin.resources.bus.consume(queue, async (envelope) => {
      // Mail commands are sealed on the wire; the test opens them as worker-email would.
      list.push(queue === 'email' ? { ...envelope, payload: mailSeal.open(envelope) } : envelope);
    });
  }
  // Domain events go to a topic exchange nobody binds in this test: a throwaway queue listens in.
  const events: Envelope[] = [];
  received.set('events', events);
  const connection = await amqp.connect(backingServices().amqpUrl);
  const channel = await connection.createChannel();
  const { queue: tap } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(tap, namespaced(env.namespace, EXCHANGES.events), '#');
  await channel.consume(
    tap,
    (message) => {
      if (message) events.push(JSON.parse(message.content.toString()) as Envelope);
    },
    { noAck: true },
  );
  const collect = (queue: Source) => received.get(queue) ?? [];
  return {
    env,
    admin,
    api: apiClient(admin.url),
    seed: (role, fields = {}) =>
      seedUser({ orm: admin.resources.orm, tokens: env.tokens }, { role, ...fields }),
    collect,
    async waitFor<P>(queue: Source, what: string, match: (envelope: Envelope) => boolean) {
      let found: Envelope | undefined;
      await eventually(what, () => {
        found = collect(queue).find(match);
        return found !== undefined;
      });
      return found?.payload as P;
    },
    async close() {
      await connection.close();
      await env.close();
    },
  };
}

/** True for an envelope of `type` whose payload has every given field. */
export function matching(type: string, fields: Record<string, unknown> = {}) {
  return (envelope: Envelope) => {
    if (envelope.type !== type) return false;
    const payload = envelope.payload as Record<string, unknown>;
    return Object.entries(fields).every(([key, value]) => payload[key] === value);
  };
}

/** True for a `log.audit` envelope whose payload has every given field. */
export const isAudit = (fields: Record<string, unknown>) => matching('log.audit', fields);
