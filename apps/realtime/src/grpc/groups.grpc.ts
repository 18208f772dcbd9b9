import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { ServiceImpl } from '@connectrpc/connect';
import { addMemberBody, createGroupBody, setRoleBody } from '@platform/contracts';
import { parseRequest } from '@platform/grpc';
import type { RealtimeService } from '@platform/proto';
import type { ChatService } from '../chat/chat.service.js';
import type { GroupView, MemberView } from '../chat/chat.types.js';
import { actorOf, chatCall } from './caller.js';

type GroupHandlers = Pick<
  ServiceImpl<typeof RealtimeService>,
  'createGroup' | 'getGroup' | 'addGroupMember' | 'setGroupMemberRole' | 'removeGroupMember'
>;

/**
 * Groups over gRPC as REST's /chat/groups routes serve them: the same ChatService methods (owners add,
 * remove and promote; the last owner stays) and REST's body schemas for what a call carries.
 */
export function groupHandlers(chat: ChatService): GroupHandlers {
  return {
    createGroup: (req, ctx) =>
      chatCall(async () => {
        const body = parseRequest(createGroupBody, { name: req.name, members: req.memberIds });
        return { group: toGroup(await chat.createGroup(actorOf(ctx), body.name, body.members ?? [])) };
      }),
    getGroup: (req, ctx) =>
      chatCall(async () => ({ group: toGroup(await chat.group(actorOf(ctx), req.groupId)) })),
    addGroupMember: (req, ctx) =>
      chatCall(async () => {
        const { userId } = parseRequest(addMemberBody, { userId: req.userId });
        return { member: toMember(await chat.addMember(actorOf(ctx), req.groupId, userId)) };
      }),
    setGroupMemberRole: (req, ctx) =>
      chatCall(async () => {
        const { role } = parseRequest(setRoleBody, { role: req.role });
        return { member: toMember(await chat.setRole(actorOf(ctx), req.groupId, req.userId, role)) };
      }),
    removeGroupMember: (req, ctx) =>
      chatCall(async () => {
        await chat.removeMember(actorOf(ctx), req.groupId, req.userId);
        return {};
      }),
  };
}

function toMember(view: MemberView) {
  return { ...view, joinedAt: timestampFromDate(new Date(view.joinedAt)) };
}

function toGroup(view: GroupView) {
  return {
    id: view.id,
    name: view.name,
    createdBy: view.createdBy ?? '',
    createdAt: timestampFromDate(new Date(view.createdAt)),
    members: view.members.map(toMember),
  };
}
