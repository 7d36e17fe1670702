import { computed, inject, provide, reactive, ref } from "vue";
import type { InjectionKey } from "vue";
import { createOutbox } from "../outbox/outbox";
import type { OutboxStore } from "../outbox/outboxStore";
import { DefaultRoom, ErrorCodes, isFailure, isValidRoomName, MaxPageSize } from "../realtime/protocol";
import type { AlertEvent, ChatError, ChatRecord } from "../realtime/protocol";
import { RequestError } from "../realtime/useSocket";
import type { SocketConnection } from "../realtime/useSocket";
import type { RoomListStore } from "./roomListStore";
import { buildTimeline, contiguousSeq, lastSeq, mergeRecords } from "./timeline";
import type { Notice } from "./timeline";

export interface RoomState {
  name: string;
  /** Ascending by `seq`. */
  messages: ChatRecord[];
  notices: Notice[];
  /** Online users, sorted. */
  users: string[];
  /** Whether the first page of history has arrived. */
  loaded: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  unread: number;
  draft: string;
}

export interface ChatNotification {
  code: string;
  text: string;
}

export interface ChatOptions {
  connection: SocketConnection;
  userId: string;
  outboxStore: OutboxStore;
  roomStore: RoomListStore;
  /** Error toasts: the service's `error` events. */
  notify?: (notification: ChatNotification) => void;
  /** Messages per history page (default 50). */
  pageSize?: number;
  /** `sync` pages to fetch after a reconnect before starting over from the newest page (default 10). */
  maxSyncPages?: number;
}

const maxNotices = 100;

/**
 * The chat of the signed-in user: rooms, their messages and presence, the outbox, alerts. After every (re)connect it
 * joins the user's rooms again, fills the gap with `sync` from the last `seq` shown, and only then lets the outbox send.
 */
export function createChat(options: ChatOptions) {
  const { connection, userId } = options;
  const pageSize = options.pageSize ?? 50;
  const maxSyncPages = options.maxSyncPages ?? 10;
  const notify = options.notify ?? (() => {});

  const rooms = reactive<RoomState[]>(options.roomStore.load().map(newRoom));
  const activeRoom = ref(DefaultRoom);
  const alert = ref<AlertEvent | null>(null);
  const ready = ref(false);
  let generation = 0;
  let noticeCounter = 0;

  const outbox = createOutbox({
    store: options.outboxStore,
    transport: {
      canSend: () => connection.status.value === "connected" && ready.value,
      send: (message) => connection.request("chat_message", message),
    },
    onSent: (record) => addRecords(record.room, [record]),
  });

  function newRoom(name: string): RoomState {
    return { name, messages: [], notices: [], users: [], loaded: false, hasOlder: false, loadingOlder: false, unread: 0, draft: "" };
  }

  function room(name: string): RoomState | undefined {
    return rooms.find((r) => r.name === name);
  }

  function saveRooms() {
    options.roomStore.save(rooms.map((r) => r.name));
  }

  function addRecords(name: string, records: readonly ChatRecord[]) {
    const target = room(name);
    if (target === undefined) {
      return;
    }
    const known = new Set(target.messages.map((m) => m.seq));
    target.messages = mergeRecords(target.messages, records);
    for (const record of records) {
      if (record.user_id === userId && record.message_id !== null) {
        outbox.markStored(record);
      }
    }
    if (name !== activeRoom.value) {
      target.unread += records.filter((r) => r.user_id !== userId && !known.has(r.seq)).length;
    }
  }

  function addNotice(name: string, text: string) {
    const target = room(name);
    if (target === undefined) {
      return;
    }
    const notice: Notice = { key: `n${++noticeCounter}`, text, at: new Date().toISOString(), afterSeq: lastSeq(target.messages) };
    target.notices = [...target.notices, notice].slice(-maxNotices);
  }

  function describe(error: ChatError): string {
    switch (error.code) {
      case ErrorCodes.InvalidPayload:
        return `Not sent: ${error.message}.`;
      case ErrorCodes.RateLimited: {
        const seconds = Math.max(1, Math.ceil((error.retry_after_ms ?? 1000) / 1000));
        return `Slow down: too many messages. Sending again in ${seconds} s.`;
      }
      default:
        return error.message;
    }
  }

  async function loadLatest(target: RoomState) {
    const page = await connection.request("history", { room: target.name, limit: pageSize });
    if (isFailure(page)) {
      return;
    }
    target.messages = mergeRecords(target.messages, page.messages);
    target.hasOlder = page.messages.length === pageSize;
    target.loaded = true;
  }

  /** Fetches what was stored in a room after `after`, page by page; too far behind, starts over from the newest. */
  async function catchUp(target: RoomState, after: number) {
    let cursor = after;
    for (let pages = 0; pages < maxSyncPages; pages++) {
      const page = await connection.request("sync", { room: target.name, after: cursor, limit: MaxPageSize });
      if (isFailure(page)) {
        return;
      }
      addRecords(target.name, page.messages);
      if (page.messages.length < MaxPageSize) {
        return;
      }
      cursor = page.messages[page.messages.length - 1]!.seq;
    }
    target.messages = [];
    target.notices = [];
    await loadLatest(target);
  }

  async function refreshPresence(target: RoomState) {
    const who = await connection.request("who", { room: target.name });
    if (!isFailure(who)) {
      target.users = [...who.users].sort();
    }
  }

  async function enter(target: RoomState, after: number | null) {
    const joined = await connection.request("join_room", { room: target.name });
    if (isFailure(joined)) {
      return;
    }
    if (after === null) {
      await loadLatest(target);
    } else {
      await catchUp(target, after);
    }
    await refreshPresence(target);
  }

  async function resync(current: number, snapshot: Map<string, number | null>) {
    try {
      // The live list: a room joined while this runs is entered too.
      for (let i = 0; i < rooms.length && current === generation; i++) {
        const target = rooms[i]!;
        await enter(target, snapshot.get(target.name) ?? null);
      }
      if (current === generation) {
        ready.value = true;
        void outbox.flush();
      }
    } catch (error) {
      if (!(error instanceof RequestError)) {
        throw error;
      }
      // The connection dropped again: the next connect starts over.
    }
  }

  const unsubscribe = [
    connection.onConnected(() => {
      const current = ++generation;
      ready.value = false;
      // Taken before any event of the new connection is handled: sync starts from what was shown before it.
      const snapshot = new Map(rooms.map((r) => [r.name, r.loaded ? contiguousSeq(r.messages) : null]));
      void resync(current, snapshot);
    }),
    connection.onDisconnected(() => {
      generation++;
      ready.value = false;
    }),
    connection.on("new_message", (record) => {
      const target = room(record.room);
      const before = target === undefined ? 0 : lastSeq(target.messages);
      addRecords(record.room, [record]);
      // A jump in the sequence while connected: fetch what lies in between (usually a message that arrived out of
      // order from another server, which the merge then ignores).
      if (target !== undefined && target.loaded && ready.value && before > 0 && record.seq > before + 1) {
        void catchUp(target, before).catch((error: unknown) => {
          if (!(error instanceof RequestError)) {
            throw error;
          }
        });
      }
    }),
    connection.on("user_joined", ({ user_id, room: name }) => {
      const target = room(name);
      if (target && !target.users.includes(user_id)) {
        target.users = [...target.users, user_id].sort();
        addNotice(name, `${user_id} joined`);
      }
    }),
    connection.on("user_left", ({ user_id, room: name }) => {
      const target = room(name);
      if (target && target.users.includes(user_id)) {
        target.users = target.users.filter((u) => u !== user_id);
        addNotice(name, `${user_id} left`);
      }
    }),
    connection.on("alert", (event) => (alert.value = event)),
    connection.on("error", (error) => notify({ code: error.code, text: describe(error) })),
  ];

  function selectRoom(name: string) {
    const target = room(name);
    if (target !== undefined) {
      activeRoom.value = name;
      target.unread = 0;
    }
  }

  const active = computed(() => room(activeRoom.value) ?? rooms[0]!);
  const timeline = computed(() => {
    const target = active.value;
    const pending = outbox.entries.value.filter((e) => e.room === target.name);
    return buildTimeline(target.messages, target.notices, pending, userId);
  });

  return {
    userId,
    rooms: rooms as readonly RoomState[],
    activeRoom,
    active,
    timeline,
    alert,
    ready,
    outbox,

    selectRoom,

    /** Joins a room (now, or on the next connect) and shows it; returns an error message for an invalid name. */
    async joinRoom(name: string): Promise<string | null> {
      if (!isValidRoomName(name)) {
        return "Room names are 1 to 64 letters, digits, '_', '-' or '.'.";
      }
      let target = room(name);
      if (target === undefined) {
        target = newRoom(name);
        rooms.push(target);
        target = room(name)!;
        saveRooms();
        if (ready.value) {
          try {
            await enter(target, null);
          } catch (error) {
            if (!(error instanceof RequestError)) {
              throw error;
            }
          }
        }
      }
      selectRoom(name);
      return null;
    },

    async leaveRoom(name: string) {
      const index = rooms.findIndex((r) => r.name === name);
      if (name === DefaultRoom || index < 0) {
        return;
      }
      rooms.splice(index, 1);
      saveRooms();
      if (activeRoom.value === name) {
        activeRoom.value = DefaultRoom;
      }
      if (connection.status.value === "connected") {
        await connection.request("leave_room", { room: name }).catch(() => undefined);
      }
    },

    /** Older messages of a room, for scrolling up. */
    async loadOlder(name: string) {
      const target = room(name);
      const oldest = target?.messages[0];
      if (target === undefined || oldest === undefined || !target.hasOlder || target.loadingOlder || !ready.value) {
        return;
      }
      target.loadingOlder = true;
      try {
        const page = await connection.request("history", { room: name, before: oldest.id, limit: pageSize });
        if (!isFailure(page)) {
          target.messages = mergeRecords(target.messages, page.messages);
          target.hasOlder = page.messages.length === pageSize;
        }
      } catch (error) {
        if (!(error instanceof RequestError)) {
          throw error;
        }
      } finally {
        target.loadingOlder = false;
      }
    },

    /** Queues a message for the active room; false when there is nothing to send. */
    send(text: string): boolean {
      const trimmed = text.trim();
      if (trimmed.length === 0) {
        return false;
      }
      outbox.enqueue(active.value.name, trimmed);
      return true;
    },

    retry: (messageId: string) => outbox.retry(messageId),

    discard: (messageId: string) => void outbox.discard(messageId),

    /** Takes a failed message out of the outbox and back into its room's composer. */
    edit(messageId: string) {
      const entry = outbox.discard(messageId);
      const target = entry && room(entry.room);
      if (target) {
        target.draft = target.draft.length > 0 ? `${entry.text}\n${target.draft}` : entry.text;
      }
    },

    dismissAlert() {
      alert.value = null;
    },

    dispose() {
      generation++;
      for (const off of unsubscribe) {
        off();
      }
      outbox.dispose();
    },
  };
}

export type Chat = ReturnType<typeof createChat>;

const chatKey: InjectionKey<Chat> = Symbol("chat");

export function provideChat(chat: Chat): void {
  provide(chatKey, chat);
}

export function useChat(): Chat {
  const chat = inject(chatKey);
  if (chat === undefined) {
    throw new Error("useChat() needs a chat provided by an ancestor (provideChat).");
  }
  return chat;
}
