import { fakeSocket } from '../../test/support/fake-socket.js';
import { SocketRegistry } from './socket-registry.js';

describe('SocketRegistry', () => {
  it("counts a user's tabs as they open and close, and forgets the user after the last", () => {
    const registry = new SocketRegistry();
    const [first, second, third] = [fakeSocket(), fakeSocket(), fakeSocket()];
    const userId = first.data.userId;
    second.data.userId = userId;
    third.data.userId = userId;
    third.data.sessionId = second.data.sessionId; // two tabs of one session
    expect([registry.add(first.socket), registry.add(second.socket), registry.add(third.socket)]).toEqual([
      1, 2, 3,
    ]);
    expect(registry.add(third.socket)).toBe(3); // adding twice changes nothing
    expect(registry.size).toBe(3);
    expect(registry.ofSession(userId, second.data.sessionId)).toEqual([second.socket, third.socket]);
    expect(registry.remove(second.socket)).toBe(2);
    expect(registry.ofSession(userId, second.data.sessionId)).toEqual([third.socket]);
    expect(registry.ofSession(fakeSocket().data.userId, second.data.sessionId)).toEqual([]); // not theirs
    expect(registry.remove(first.socket)).toBe(1);
    expect(registry.ofUser(userId)).toEqual([third.socket]);
    expect([registry.userIds(), registry.countOf(userId)]).toEqual([[userId], 1]);
    expect(registry.remove(third.socket)).toBe(0);
    expect(registry.remove(third.socket)).toBe(0);
    expect([registry.size, registry.userIds().length, registry.all()]).toEqual([0, 0, []]);
  });

  it('keeps users apart', () => {
    const registry = new SocketRegistry();
    const [ada, bob] = [fakeSocket(), fakeSocket()];
    registry.add(ada.socket);
    registry.add(bob.socket);
    expect(registry.ofUser(ada.data.userId)).toEqual([ada.socket]);
    expect(registry.countOf(bob.data.userId)).toBe(1);
    expect(new Set(registry.all())).toEqual(new Set([ada.socket, bob.socket]));
  });
});
