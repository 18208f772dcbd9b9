import amqp from 'amqplib';
import { EXCHANGES, namespaced, QUEUES } from '@platform/contracts';
import { backingServices, eventually, type ApiClient, type TestEnvironment } from '@platform/testkit';
import { registerAndLogin, startAuth, STRONG_PASSWORD } from './harness.js';
import { enableTwoFactor, freshCode, passwordStep } from './totp-client.js';

let env: TestEnvironment;
let api: ApiClient;

beforeAll(async () => {
  ({ env, api } = await startAuth());
});
afterAll(() => env.close());

interface Envelope {
  type: string;
  payload: {
    userId?: string;
    targetId?: string | null;
    action?: string;
    changes?: string[];
    after?: unknown;
  };
}

describe('2FA events', () => {
  it('audits every 2FA change and sign-in, and publishes user.updated for enable and disable', async () => {
    const connection = await amqp.connect(backingServices().amqpUrl);
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, namespaced(env.namespace, EXCHANGES.events), 'user.updated');
    const logs = namespaced(env.namespace, QUEUES.logs);
    const seen: Envelope[] = [];
    const drain = async (from: string) => {
      for (let m = await channel.get(from, { noAck: true }); m; m = await channel.get(from, { noAck: true }))
        seen.push(JSON.parse(m.content.toString()) as Envelope);
    };
    try {
      const user = await enableTwoFactor(api, await registerAndLogin(api));
      const challenge = await passwordStep(api, user.email);
      expect(
        (await api.post('/login/2fa', { body: { challenge, code: await freshCode(user) } })).status,
      ).toBe(200);
      const disabled = await api.post('/2fa/disable', {
        token: user.accessToken,
        body: { password: STRONG_PASSWORD, code: await freshCode(user) },
      });
      expect(disabled.status).toBe(204);

      const mine = () => seen.filter((e) => (e.payload.userId ?? e.payload.targetId) === user.userId);
      const actions = () => mine().map((e) => (e.type === 'log.audit' ? e.payload.action : e.type));
      await eventually('the audit records and events arrived', async () => {
        await drain(logs);
        await drain(queue);
        const got = actions();
        return (
          ['2fa.setup', '2fa.enable', '2fa.disable', 'login.succeeded'].every((a) => got.includes(a)) &&
          got.filter((a) => a === 'user.updated').length === 2
        );
      });
      const updates = mine().filter((e) => e.type === 'user.updated');
      expect(updates.map((e) => e.payload.changes)).toEqual([['twoFactor'], ['twoFactor']]);
      const signIns = mine().filter((e) => e.payload.action === 'login.succeeded');
      expect(signIns.map((e) => e.payload.after)).toContainEqual(
        expect.objectContaining({ secondFactor: 'totp', identifier: user.email }),
      );
    } finally {
      await connection.close();
    }
  });
});
