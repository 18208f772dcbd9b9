import { Media } from '@platform/db';
import { seedMedia } from '@platform/testkit';
import {
  ofType,
  onlineUser,
  realtimeWorld,
  sleep,
  type Frame,
  type Instance,
  type RealtimeWorld,
} from './harness.js';

/** An image upload still being processed, as the media service records it. */
function processingImage(world: RealtimeWorld, ownerId: string): Promise<string> {
  return seedMedia(world, ownerId, { name: 'cat.png' });
}

describe('chat.attachment', () => {
  let world: RealtimeWorld;
  let instance: Instance;

  beforeAll(async () => {
    world = await realtimeWorld();
    instance = await world.start();
  });
  afterAll(() => world.close());

  it('tells the members of the conversation, and nobody else, when a file sent there becomes ready', async () => {
    const [ada, bob, eve] = await Promise.all([
      onlineUser(world, instance, 'Ada'),
      onlineUser(world, instance, 'Bob'),
      onlineUser(world, instance, 'Eve'),
    ]);
    const mediaId = await processingImage(world, ada.id);
    ada.socket.send({ type: 'chat.send', to: bob.id, text: '', clientId: 'c-1', attachments: [mediaId] });
    const sent = await bob.socket.next(ofType('chat.message'));
    expect(sent.attachments).toEqual([expect.objectContaining({ id: mediaId, status: 'processing' })]);
    // Bob opens the conversation, so its newest page is cached with the old status.
    bob.socket.send({ type: 'chat.history', to: ada.id });
    await bob.socket.next(ofType('chat.history'));

    await world.orm.em.fork().nativeUpdate(
      Media,
      { id: mediaId },
      {
        status: 'ready',
        width: 64,
        height: 48,
        variants: { thumbnail: `media/${mediaId}/thumbnail.webp` },
      },
    );
    await world.publishEvent('media.processed', {
      userId: ada.id,
      mediaId,
      name: 'cat.png',
      status: 'ready',
    });

    for (const member of [ada, bob]) {
      const frame = await member.socket.next(ofType('chat.attachment'));
      expect(frame).toMatchObject({
        id: sent.id,
        conversationId: sent.conversationId,
        seq: sent.seq,
        attachment: {
          id: mediaId,
          status: 'ready',
          width: 64,
          height: 48,
          thumbnailUrl: expect.stringMatching(new RegExp(`^/media/${mediaId}/thumbnail\\?exp=\\d+&sig=`)),
        },
      });
    }
    bob.socket.send({ type: 'chat.history', to: ada.id });
    // The cached page was dropped: the history now shows the file ready (`next` finds the first match).
    const fresh = (f: Frame) => JSON.stringify(f.messages).includes('"status":"ready"');
    await bob.socket.next(ofType('chat.history', fresh));
    await sleep(200);
    expect(eve.socket.frames.filter((f) => f.type === 'chat.attachment')).toEqual([]);
    await Promise.all([ada.socket.close(), bob.socket.close(), eve.socket.close()]);
  });
});
