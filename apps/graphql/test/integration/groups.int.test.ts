import { randomUUID } from 'node:crypto';
import { seedUser, type SeededUser } from '@platform/testkit';
import { startWorld, type GatewayWorld, type GraphqlAnswer } from './harness.js';

let world: GatewayWorld;
const seed = (fields: Parameters<typeof seedUser>[1] = {}): Promise<SeededUser> =>
  seedUser({ orm: world.users.resources.orm, tokens: world.env.tokens }, fields);
const codesOf = (answer: GraphqlAnswer) => answer.errors?.map((e) => e.extensions?.code);

interface Member {
  userId: string;
  role: string;
  user: { displayName: string } | null;
}
interface Group {
  id: string;
  name: string;
  createdBy: { displayName: string } | null;
  members: Member[];
}
const GROUP_FIELDS = 'id name createdBy { displayName } members { userId role user { displayName } }';

/** Calls the gateway started to its backends, per method, from its own client metrics. */
async function backendCalls(): Promise<Record<string, number>> {
  const metric = await world.gateway.resources.registry.getSingleMetric('grpc_client_started_total')?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.grpc_method), v.value]));
}

function createGroup(owner: SeededUser, name: string, memberIds: string[]) {
  return world.query<{ createGroup: Group }>(
    `mutation($input: CreateGroupInput!) { createGroup(input: $input) { ${GROUP_FIELDS} } }`,
    { input: { name, memberIds } },
    owner.accessToken,
  );
}

async function newGroup(owner: SeededUser, members: SeededUser[]): Promise<Group> {
  const answer = await createGroup(
    owner,
    'Team',
    members.map((m) => m.id),
  );
  if (answer.data?.createGroup === undefined) throw new Error(JSON.stringify(answer.errors));
  return answer.data.createGroup;
}

const addMember = (by: SeededUser, groupId: string, userId: string) =>
  world.query<{ addGroupMember: Member }>(
    'mutation($g: ID!, $u: ID!) { addGroupMember(groupId: $g, userId: $u) { userId role user { displayName } } }',
    { g: groupId, u: userId },
    by.accessToken,
  );

const setRole = (by: SeededUser, groupId: string, userId: string, role: string) =>
  world.query<{ setGroupMemberRole: Member }>(
    'mutation($g: ID!, $u: ID!, $r: GroupRole!) { setGroupMemberRole(groupId: $g, userId: $u, role: $r) { userId role } }',
    { g: groupId, u: userId, r: role },
    by.accessToken,
  );

const getGroup = (by: SeededUser, id: string) =>
  world.query<{ group: Group | null }>(
    `query($id: ID!) { group(id: $id) { ${GROUP_FIELDS} } }`,
    { id },
    by.accessToken,
  );

const sendTo = (from: SeededUser, conversationId: string, text: string) =>
  world.query<{ sendMessage: { message: { text: string; author: { displayName: string } } } }>(
    'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { text author { displayName } } } }',
    { input: { conversationId, text, clientId: randomUUID() } },
    from.accessToken,
  );

beforeAll(async () => {
  world = await startWorld({}, { withRealtime: true });
});
afterAll(async () => {
  await world.close();
});

describe('createGroup and group', () => {
  it('makes the caller owner of a group with its members named, for one GetUsers call', async () => {
    const ada = await seed({ displayName: 'Ada' });
    const bob = await seed({ displayName: 'Bob' });
    const cy = await seed({ displayName: 'Cy' });
    const before = await backendCalls();
    const answer = await createGroup(ada, 'Book club', [bob.id, cy.id, bob.id]);
    const after = await backendCalls();
    expect(answer.data?.createGroup).toMatchObject({
      name: 'Book club',
      createdBy: { displayName: 'Ada' },
      members: [
        { userId: ada.id, role: 'OWNER', user: { displayName: 'Ada' } },
        // Those who joined together: by id, as realtime orders them.
        ...[
          { userId: bob.id, role: 'MEMBER', user: { displayName: 'Bob' } },
          { userId: cy.id, role: 'MEMBER', user: { displayName: 'Cy' } },
        ].sort((a, b) => (a.userId < b.userId ? -1 : 1)),
      ],
    });
    const spent = Object.fromEntries(
      Object.entries(after)
        .map(([method, count]) => [method, count - (before[method] ?? 0)])
        .filter(([, count]) => count !== 0),
    );
    expect(spent).toEqual({ CreateGroup: 1, GetUsers: 1 });
    const seen = await getGroup(cy, answer.data?.createGroup.id ?? '');
    expect(seen.data?.group).toEqual(answer.data?.createGroup);
  });

  it('is null for a stranger and for an id that names no group', async () => {
    const ada = await seed();
    const eve = await seed();
    const group = await newGroup(ada, []);
    expect((await getGroup(eve, group.id)).data).toEqual({ group: null });
    expect((await getGroup(ada, randomUUID())).data).toEqual({ group: null });
  });

  it("refuses what REST refuses, with its codes: an empty name, someone who doesn't exist", async () => {
    const ada = await seed();
    expect(codesOf(await createGroup(ada, '   ', []))).toEqual(['validation_failed']);
    expect(codesOf(await createGroup(ada, 'Team', [randomUUID()]))).toEqual(['not_found']);
  });
});

describe('members and roles', () => {
  it('lets an owner add and promote, and the promoted member add in turn', async () => {
    const ada = await seed();
    const bob = await seed();
    const cy = await seed({ displayName: 'Cy' });
    const dee = await seed();
    const group = await newGroup(ada, [bob]);
    const added = await addMember(ada, group.id, cy.id);
    expect(added.data).toEqual({
      addGroupMember: { userId: cy.id, role: 'MEMBER', user: { displayName: 'Cy' } },
    });
    expect(codesOf(await addMember(ada, group.id, cy.id))).toEqual(['conflict']);
    const promoted = await setRole(ada, group.id, bob.id, 'OWNER');
    expect(promoted.data).toEqual({ setGroupMemberRole: { userId: bob.id, role: 'OWNER' } });
    expect((await addMember(bob, group.id, dee.id)).data?.addGroupMember.userId).toBe(dee.id);
  });

  it('refuses a plain member adding, promoting or removing (forbidden)', async () => {
    const ada = await seed();
    const bob = await seed();
    const eve = await seed();
    const group = await newGroup(ada, [bob]);
    expect(codesOf(await addMember(bob, group.id, eve.id))).toEqual(['forbidden']);
    expect(codesOf(await setRole(bob, group.id, bob.id, 'OWNER'))).toEqual(['forbidden']);
    const remove = await world.query(
      'mutation($g: ID!, $u: ID!) { removeGroupMember(groupId: $g, userId: $u) { userId } }',
      { g: group.id, u: ada.id },
      bob.accessToken,
    );
    expect(codesOf(remove)).toEqual(['forbidden']);
  });

  it('answers not_found for a group that does not exist or that the caller is not in', async () => {
    const ada = await seed();
    const bob = await seed();
    const eve = await seed();
    const group = await newGroup(ada, [bob]);
    expect(codesOf(await addMember(ada, randomUUID(), bob.id))).toEqual(['not_found']);
    expect(codesOf(await addMember(eve, group.id, eve.id))).toEqual(['not_found']);
    expect(codesOf(await setRole(ada, 'not-a-uuid', bob.id, 'MEMBER'))).toEqual(['not_found']);
  });

  it('keeps the last owner: stepping down is last_owner, leaving hands the group on', async () => {
    const ada = await seed();
    const bob = await seed();
    const cy = await seed();
    const group = await newGroup(ada, [bob, cy]);
    expect(codesOf(await setRole(ada, group.id, ada.id, 'MEMBER'))).toEqual(['last_owner']);
    const left = await world.query(
      'mutation($g: ID!) { leaveGroup(groupId: $g) { groupId userId } }',
      { g: group.id },
      ada.accessToken,
    );
    expect(left.data).toEqual({ leaveGroup: { groupId: group.id, userId: ada.id } });
    expect((await getGroup(ada, group.id)).data).toEqual({ group: null });
    const members = (await getGroup(bob, group.id)).data?.group?.members ?? [];
    expect(members.map((m) => m.userId).sort()).toEqual([bob.id, cy.id].sort());
    expect(members.filter((m) => m.role === 'OWNER')).toHaveLength(1);
  });

  it('removes a member, who then can no longer write to the group; an owner only once demoted', async () => {
    const ada = await seed();
    const bob = await seed();
    const cy = await seed();
    const group = await newGroup(ada, [bob, cy]);
    const remove = (userId: string) =>
      world.query(
        'mutation($g: ID!, $u: ID!) { removeGroupMember(groupId: $g, userId: $u) { groupId userId } }',
        { g: group.id, u: userId },
        ada.accessToken,
      );
    expect((await remove(cy.id)).data).toEqual({ removeGroupMember: { groupId: group.id, userId: cy.id } });
    expect(codesOf(await sendTo(cy, group.id, 'still here?'))).toEqual(['not_found']);
    await setRole(ada, group.id, bob.id, 'OWNER');
    expect(codesOf(await remove(bob.id))).toEqual(['forbidden']);
    await setRole(ada, group.id, bob.id, 'MEMBER');
    expect(codesOf(await remove(bob.id))).toBeUndefined();
  });
});

describe('sendMessage to a group', () => {
  it("reaches the group's conversation for members, and not_found for anyone else", async () => {
    const ada = await seed({ displayName: 'Ada' });
    const bob = await seed();
    const eve = await seed();
    const group = await newGroup(ada, [bob]);
    const sent = await sendTo(ada, group.id, 'welcome');
    expect(sent.data?.sendMessage.message).toEqual({ text: 'welcome', author: { displayName: 'Ada' } });
    const seen = await world.query<{
      conversation: { kind: string; name: string; lastMessage: { text: string } };
    }>(
      'query($id: ID!) { conversation(id: $id) { kind name lastMessage { text } } }',
      { id: group.id },
      bob.accessToken,
    );
    expect(seen.data?.conversation).toEqual({
      kind: 'GROUP',
      name: 'Team',
      lastMessage: { text: 'welcome' },
    });
    expect(codesOf(await sendTo(eve, group.id, 'let me in'))).toEqual(['not_found']);
  });
});
