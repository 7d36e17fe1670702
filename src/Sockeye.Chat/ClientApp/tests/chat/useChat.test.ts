import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { effectScope } from "vue";
import { memoryRoomListStore } from "../../src/chat/roomListStore";
import { createChat } from "../../src/chat/useChat";
import type { ChatNotification } from "../../src/chat/useChat";
import { memoryOutboxStore } from "../../src/outbox/outboxStore";
import type { OutboxEntry } from "../../src/outbox/outboxStore";
import type { ChatRecord } from "../../src/realtime/protocol";
import { createSocketConnection } from "../../src/realtime/useSocket";
import { fakeEnvironment, fakeSocketFactory, settle } from "../fakes/fakeSocket";
import type { FakeSocket } from "../fakes/fakeSocket";

function record(seq: number, text = `message ${seq}`, user = "bob", room = "chat", messageId: string | null = null): ChatRecord {
  return { id: seq * 10, seq, message_id: messageId, user_id: user, room, text, timestamp: "2026-12-04T10:00:00Z" };
}

function setup(options: { rooms?: string[]; outbox?: OutboxEntry[] } = {}) {
  const fake = fakeSocketFactory();
  const notifications: ChatNotification[] = [];
  const outboxStore = memoryOutboxStore(options.outbox);
  const scope = effectScope();
  const { connection, chat } = scope.run(() => {
    const connection = createSocketConnection({
      getToken: async () => "token",
      refreshToken: async () => "token",
      createSocket: fake.factory,
      environment: fakeEnvironment(),
      random: () => 0.5,
    });
    const chat = createChat({
      connection,
      userId: "alice",
      outboxStore,
      roomStore: memoryRoomListStore(options.rooms),
      notify: (n) => notifications.push(n),
      pageSize: 3,
    });
    return { connection, chat };
  })!;
  return { connection, chat, socket: fake.socket(), notifications, outboxStore };
}

/** Plays the service's side of entering every room: join, first page or sync, presence. */
async function serveEntry(socket: FakeSocket, pages: Record<string, ChatRecord[]>, users: string[] = ["alice", "bob"]) {
  for (;;) {
    await settle(10);
    const [next] = socket.pending();
    if (next === undefined) {
      return;
    }
    const room = next.payload.room as string;
    switch (next.event) {
      case "join_room":
        socket.answer("join_room", { ok: true, room });
        break;
      case "history":
        socket.answer("history", { room, messages: [...(pages[room] ?? [])].reverse() });
        break;
      case "sync":
        socket.answer("sync", (p: Record<string, unknown>) => ({ room, messages: (pages[room] ?? []).filter((m) => m.seq > (p.after as number)) }));
        break;
      case "who":
        socket.answer("who", { room, users });
        break;
      default:
        return;
    }
  }
}

function texts(chat: ReturnType<typeof setup>["chat"]) {
  return chat.timeline.value.map((item) =>
    item.kind === "message" ? item.record.text : item.kind === "pending" ? `${item.entry.text} (${item.entry.state})` : `[${item.text}]`,
  );
}

describe("chat", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("joins the user's rooms on connect, shows the newest page and who is online", async () => {
    const { connection, chat, socket } = setup({ rooms: ["chat", "dev"] });
    connection.start();
    await settle();
    socket.accept();

    await serveEntry(socket, { chat: [record(1), record(2)], dev: [record(1, "in dev", "carol", "dev")] });

    expect(socket.requests.filter((r) => r.event === "join_room").map((r) => r.payload.room)).toEqual(["chat", "dev"]);
    expect(texts(chat)).toEqual(["message 1", "message 2"]);
    expect(chat.active.value.users).toEqual(["alice", "bob"]);
    expect(chat.ready.value).toBe(true);
  });

  it("sends what was typed while offline only after the rooms are joined again", async () => {
    const { connection, chat, socket } = setup();
    chat.send("typed offline");
    expect(texts(chat)).toEqual(["typed offline (sending)"]);

    connection.start();
    await settle();
    socket.accept();
    await settle();
    expect(socket.pending("chat_message")).toHaveLength(0);

    await serveEntry(socket, { chat: [] });
    const [sent] = socket.pending("chat_message");
    expect(sent!.payload).toMatchObject({ text: "typed offline", room: "chat" });

    socket.answer("chat_message", (p: Record<string, unknown>) => record(1, p.text as string, "alice", "chat", p.message_id as string));
    await settle();
    expect(chat.timeline.value).toEqual([expect.objectContaining({ kind: "message", mine: true, record: expect.objectContaining({ text: "typed offline" }) })]);
  });

  it("after a reconnect fills the gap with sync from the last seq shown, without repeating anything", async () => {
    const { connection, chat, socket } = setup();
    connection.start();
    await settle();
    socket.accept();
    const history = [record(1), record(2), record(3)];
    await serveEntry(socket, { chat: history });

    socket.drop();
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    socket.accept();
    // An event of the new connection can arrive before the sync answer.
    socket.serverEmit("new_message", record(6));
    await serveEntry(socket, { chat: [...history, record(4), record(5), record(6)] });

    const sync = socket.requests.find((r) => r.event === "sync");
    expect(sync!.payload).toMatchObject({ room: "chat", after: 3 });
    expect(texts(chat)).toEqual(["message 1", "message 2", "message 3", "message 4", "message 5", "message 6"]);
  });

  it("re-sends a message whose ack was lost after a reconnect, with the same id", async () => {
    const { connection, chat, socket } = setup();
    connection.start();
    await settle();
    socket.accept();
    await serveEntry(socket, { chat: [] });

    chat.send("hello");
    await settle();
    const first = socket.pending("chat_message")[0]!;
    socket.drop();
    await settle();
    expect(texts(chat)).toEqual(["hello (sending)"]);

    await vi.advanceTimersByTimeAsync(1000);
    socket.accept();
    await serveEntry(socket, { chat: [] });
    const retry = socket.pending("chat_message")[0]!;
    expect(retry.payload.message_id).toBe(first.payload.message_id);
    socket.answer("chat_message", record(1, "hello", "alice", "chat", first.payload.message_id as string));
    await settle();

    expect(texts(chat)).toEqual(["hello"]);
    expect(chat.outbox.entries.value).toEqual([]);
  });

  it("counts a message as sent when sync shows the service stored it, and does not send it again", async () => {
    const { connection, chat, socket } = setup();
    connection.start();
    await settle();
    socket.accept();
    await serveEntry(socket, { chat: [] });
    chat.send("hello");
    await settle();
    const first = socket.pending("chat_message")[0]!;
    socket.drop();

    await vi.advanceTimersByTimeAsync(1000);
    socket.accept();
    await serveEntry(socket, { chat: [record(1, "hello", "alice", "chat", first.payload.message_id as string)] });

    expect(texts(chat)).toEqual(["hello"]);
    expect(chat.outbox.entries.value).toEqual([]);
    expect(socket.requests.filter((r) => r.event === "chat_message")).toHaveLength(1);
  });

  it("pages back through history with the oldest id shown", async () => {
    const { connection, chat, socket } = setup();
    connection.start();
    await settle();
    socket.accept();
    await serveEntry(socket, { chat: [record(4), record(5), record(6)] });
    expect(chat.active.value.hasOlder).toBe(true);

    const loading = chat.loadOlder("chat");
    const request = socket.answer("history", { room: "chat", messages: [record(3), record(2), record(1)] });
    await loading;

    expect(request.payload).toEqual({ room: "chat", before: 40, limit: 3 });
    expect(texts(chat)).toEqual(["message 1", "message 2", "message 3", "message 4", "message 5", "message 6"]);

    const last = chat.loadOlder("chat");
    socket.answer("history", { room: "chat", messages: [] });
    await last;
    expect(chat.active.value.hasOlder).toBe(false);
  });

  it("shows joins and leaves between the messages and keeps the presence list", async () => {
    const { connection, chat, socket } = setup();
    connection.start();
    await settle();
    socket.accept();
    await serveEntry(socket, { chat: [record(1)] }, ["alice"]);

    socket.serverEmit("user_joined", { user_id: "carol", room: "chat" });
    socket.serverEmit("new_message", record(2, "hi all", "carol"));
    socket.serverEmit("user_left", { user_id: "carol", room: "chat" });

    expect(texts(chat)).toEqual(["message 1", "[carol joined]", "hi all", "[carol left]"]);
    expect(chat.active.value.users).toEqual(["alice"]);
  });

  it("counts unread messages of other rooms", async () => {
    const { connection, chat, socket } = setup({ rooms: ["chat", "dev"] });
    connection.start();
    await settle();
    socket.accept();
    await serveEntry(socket, {});

    socket.serverEmit("new_message", record(1, "psst", "bob", "dev"));
    expect(chat.rooms.find((r) => r.name === "dev")!.unread).toBe(1);

    chat.selectRoom("dev");
    expect(chat.rooms.find((r) => r.name === "dev")!.unread).toBe(0);
    expect(texts(chat)).toEqual(["psst"]);
  });

  it("turns the service's error events into notifications, and its alerts into the banner", async () => {
    const { connection, chat, socket, notifications } = setup();
    connection.start();
    await settle();
    socket.accept();

    socket.serverEmit("error", { code: "RATE_LIMITED", message: "too many messages; retry later", retry_after_ms: 1200 });
    socket.serverEmit("error", { code: "INVALID_PAYLOAD", field: "text", message: "text must be at most 4000 characters" });
    socket.serverEmit("alert", { message: "Maintenance at noon", timestamp: "2026-12-04T10:00:00Z" });

    expect(notifications).toEqual([
      { code: "RATE_LIMITED", text: "Slow down: too many messages. Sending again in 2 s." },
      { code: "INVALID_PAYLOAD", text: "Not sent: text must be at most 4000 characters." },
    ]);
    expect(chat.alert.value?.message).toBe("Maintenance at noon");
    chat.dismissAlert();
    expect(chat.alert.value).toBeNull();
  });

  it("puts a failed message back into the composer to edit it", async () => {
    const { connection, chat, socket } = setup();
    connection.start();
    await settle();
    socket.accept();
    await serveEntry(socket, {});

    chat.send("too long");
    await settle();
    socket.answer("chat_message", { error: { code: "INVALID_PAYLOAD", field: "text", message: "text must be at most 4000 characters" } });
    await settle();
    expect(texts(chat)).toEqual(["too long (failed)"]);

    chat.edit(chat.outbox.entries.value[0]!.message_id);

    expect(texts(chat)).toEqual([]);
    expect(chat.active.value.draft).toBe("too long");
  });

  it("refuses room names the service would refuse, and remembers joined rooms", async () => {
    const { chat } = setup();

    expect(await chat.joinRoom("no spaces")).toMatch(/letters, digits/);
    expect(await chat.joinRoom("dev-2")).toBeNull();

    expect(chat.rooms.map((r) => r.name)).toEqual(["chat", "dev-2"]);
    expect(chat.activeRoom.value).toBe("dev-2");
    await chat.leaveRoom("dev-2");
    expect(chat.rooms.map((r) => r.name)).toEqual(["chat"]);
    expect(chat.activeRoom.value).toBe("chat");
  });
});
