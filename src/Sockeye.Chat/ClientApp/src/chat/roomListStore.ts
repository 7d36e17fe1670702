import { DefaultRoom, isValidRoomName } from "../realtime/protocol";

/** The rooms a user has joined, kept so that a reload joins them again. */
export interface RoomListStore {
  load(): string[];
  save(rooms: readonly string[]): void;
}

export function localRoomListStore(userId: string, storage: Storage = window.localStorage): RoomListStore {
  const key = `sockeye-chat:rooms:${userId}`;
  return {
    load() {
      try {
        const value: unknown = JSON.parse(storage.getItem(key) ?? "[]");
        const rooms = Array.isArray(value) ? value.filter((r): r is string => typeof r === "string" && isValidRoomName(r)) : [];
        return [DefaultRoom, ...rooms.filter((r) => r !== DefaultRoom)];
      } catch {
        return [DefaultRoom];
      }
    },
    save(rooms) {
      try {
        storage.setItem(key, JSON.stringify(rooms));
      } catch {
        // Not worth bothering the user: the rooms are only rejoined by hand after a reload.
      }
    },
  };
}

export function memoryRoomListStore(initial: string[] = [DefaultRoom]): RoomListStore {
  let rooms = [...initial];
  return {
    load: () => [...rooms],
    save: (next) => (rooms = [...next]),
  };
}
