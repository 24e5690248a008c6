import type { Storage } from '../../platform/storage/storage.ts';

/**
 * AnyChat rooms are integers (textmsg_notify `roomid`); ours are conversation ids. Each
 * conversation gets the app's next room number the first time a notify names it, under the app's
 * lock (several nodes may send at once), and keeps it.
 */
export function createAnyChatRooms(storage: Storage) {
  const { db } = storage;
  const find = async (appId: string, conversationId: string) =>
    (await db.selectFrom('anychat_rooms').select('room_id').where('app_id', '=', appId).where('conversation_id', '=', conversationId).executeTakeFirst())?.room_id;
  return {
    async roomIdOf(appId: string, conversationId: string): Promise<number> {
      const known = await find(appId, conversationId);
      if (known !== undefined) return Number(known);
      return db.transaction().execute(async (tx) => {
        await storage.lockKey(tx, `anychat-rooms:${appId}`);
        const again = await tx.selectFrom('anychat_rooms').select('room_id').where('app_id', '=', appId).where('conversation_id', '=', conversationId).executeTakeFirst();
        if (again) return Number(again.room_id);
        const { largest } = await tx.selectFrom('anychat_rooms').select((eb) => eb.fn.max('room_id').as('largest')).where('app_id', '=', appId).executeTakeFirstOrThrow();
        const roomId = Number(largest ?? 0) + 1;
        await tx.insertInto('anychat_rooms').values({ app_id: appId, conversation_id: conversationId, room_id: roomId }).execute();
        return roomId;
      });
    },
  };
}

export type AnyChatRooms = ReturnType<typeof createAnyChatRooms>;
