import { Code, ConnectError } from '@connectrpc/connect';
import { asCaller, createGrpcClient, PROBLEM_CODE_KEY } from '@platform/grpc';
import { RealtimeService } from '@platform/proto';
import { apiClient, type SeededUser } from '@platform/testkit';
import { realtimeWorld, type Instance, type RealtimeWorld } from './harness.js';

let world: RealtimeWorld;
let instance: Instance;

beforeAll(async () => {
  world = await realtimeWorld();
  instance = await world.start();
});
afterAll(async () => {
  await instance.stop();
  await world.close();
});

const client = () =>
  createGrpcClient(RealtimeService, {
    url: `http://127.0.0.1:${instance.running.grpcPort}`,
    timeoutMs: 5000,
  });

/** The gRPC status and the catalogue code a refused call carries. */
async function refusal(call: Promise<unknown>): Promise<{ code: Code; problem: string | null }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => ConnectError.from(e),
  );
  if (error === undefined) throw new Error('the call was not refused');
  return { code: error.code, problem: error.metadata.get(PROBLEM_CODE_KEY) };
}

async function createGroup(owner: SeededUser, members: SeededUser[]) {
  const { group } = await client().createGroup(
    { name: 'Crew', memberIds: members.map((member) => member.id) },
    asCaller(owner.accessToken),
  );
  if (group === undefined) throw new Error('no group in the answer');
  return group;
}

describe('the group RPCs of RealtimeService', () => {
  it('make a group that REST then serves alike, members named by users', async () => {
    const [ada, bob] = await Promise.all([world.seedUser('Ada'), world.seedUser('Bob')]);
    const group = await createGroup(ada, [bob]);
    expect(group.members.map((m) => [m.displayName, m.role])).toEqual([
      ['Ada', 'owner'],
      ['Bob', 'member'],
    ]);
    const rest = await apiClient(instance.url).get<{ name: string; members: unknown[] }>(
      `/chat/groups/${group.id}`,
      { token: bob.accessToken },
    );
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ name: 'Crew', members: [{ userId: ada.id }, { userId: bob.id }] });
  });

  it("send REST's refusals as their gRPC statuses with the catalogue code in the trailer", async () => {
    const [ada, bob, eve] = await Promise.all([world.seedUser(), world.seedUser(), world.seedUser()]);
    const group = await createGroup(ada, [bob]);
    const as = (user: SeededUser) => asCaller(user.accessToken);
    const rpc = client();
    expect(await refusal(rpc.addGroupMember({ groupId: group.id, userId: eve.id }, as(bob)))).toEqual({
      code: Code.PermissionDenied,
      problem: 'forbidden',
    });
    expect(await refusal(rpc.getGroup({ groupId: group.id }, as(eve)))).toEqual({
      code: Code.NotFound,
      problem: 'not_found',
    });
    expect(
      await refusal(rpc.setGroupMemberRole({ groupId: group.id, userId: ada.id, role: 'member' }, as(ada))),
    ).toEqual({ code: Code.FailedPrecondition, problem: 'last_owner' });
    expect(
      await refusal(rpc.setGroupMemberRole({ groupId: group.id, userId: bob.id, role: 'admin' }, as(ada))),
    ).toEqual({ code: Code.InvalidArgument, problem: 'validation_failed' });
    expect(await refusal(rpc.addGroupMember({ groupId: group.id, userId: bob.id }, as(ada)))).toEqual({
      code: Code.Aborted,
      problem: 'conflict',
    });
  });

  it('let a member leave with their own id, after which the group is not found for them', async () => {
    const [ada, bob] = await Promise.all([world.seedUser(), world.seedUser()]);
    const group = await createGroup(ada, [bob]);
    const rpc = client();
    await rpc.removeGroupMember({ groupId: group.id, userId: bob.id }, asCaller(bob.accessToken));
    expect(await refusal(rpc.getGroup({ groupId: group.id }, asCaller(bob.accessToken)))).toMatchObject({
      problem: 'not_found',
    });
    const { group: left } = await rpc.getGroup({ groupId: group.id }, asCaller(ada.accessToken));
    expect(left?.members.map((m) => m.userId)).toEqual([ada.id]);
  });
});
