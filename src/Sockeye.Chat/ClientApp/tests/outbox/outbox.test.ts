import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createOutbox } from "../../src/outbox/outbox";
import type { OutboxTransport } from "../../src/outbox/outbox";
import { localOutboxStore, memoryOutboxStore } from "../../src/outbox/outboxStore";
import type { OutboxEntry, OutboxStore } from "../../src/outbox/outboxStore";
import type { ChatRecord, Failure } from "../../src/realtime/protocol";
import { settle } from "../fakes/fakeSocket";

interface Sent {
  message: { message_id: string; room: string; text: string };
  resolve(ack: ChatRecord | Failure): void;
  reject(error: Error): void;
}

interface FakeTransport extends OutboxTransport {
  connected: boolean;
  sent: Sent[];
  record(message: Sent["message"]): ChatRecord;
  store(): Promise<Sent["message"]>;
  refuse(error: Failure["error"]): Promise<Sent["message"]>;
  drop(): Promise<void>;
}

/** A transport the test answers by hand, and a "server" that numbers what it stores. */
function fakeTransport(): FakeTransport {
  const sent: Sent[] = [];
  let seq = 0;
  const transport: FakeTransport = {
    connected: true,
    sent,
    canSend: () => transport.connected,
    send: (message: Sent["message"]) => new Promise<ChatRecord | Failure>((resolve, reject) => sent.push({ message, resolve, reject })),
    record(message: Sent["message"]): ChatRecord {
      seq++;
      return { id: seq, seq, message_id: message.message_id, user_id: "alice", room: message.room, text: message.text, timestamp: new Date().toISOString() };
    },
    /** Acknowledges the oldest unanswered message as stored. */
    async store() {
      const next = sent.shift()!;
      next.resolve(transport.record(next.message));
      await settle();
      return next.message;
    },
    async refuse(error: Failure["error"]) {
      const next = sent.shift()!;
      next.resolve({ error });
      await settle();
      return next.message;
    },
    /** The connection drops: the message in flight gets no ack. */
    async drop() {
      transport.connected = false;
      for (const next of sent.splice(0)) {
        next.reject(new Error("socket has been disconnected"));
      }
      await settle();
    },
  };
  return transport;
}

function setup<S extends OutboxStore = ReturnType<typeof memoryOutboxStore>>(store: S = memoryOutboxStore() as unknown as S) {
  const transport = fakeTransport();
  const delivered: ChatRecord[] = [];
  const failed: OutboxEntry[] = [];
  let ids = 0;
  const outbox = createOutbox({
    store,
    transport,
    onSent: (record) => delivered.push(record),
    onFailed: (entry) => failed.push(entry),
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`,
  });
  return { outbox, transport, delivered, failed, store };
}

describe("outbox", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("shows a message as sending at once and keeps it in storage until it is acknowledged", async () => {
    const store = memoryOutboxStore();
    const { outbox, transport, delivered } = setup(store);

    const entry = outbox.enqueue("chat", "hello");

    expect(outbox.entries.value).toEqual([expect.objectContaining({ message_id: entry.message_id, text: "hello", room: "chat", state: "sending" })]);
    expect(store.entries).toHaveLength(1);
    expect(transport.sent[0]!.message).toEqual({ message_id: entry.message_id, room: "chat", text: "hello" });

    await transport.store();

    expect(outbox.entries.value).toEqual([]);
    expect(store.entries).toEqual([]);
    expect(delivered.map((r) => r.message_id)).toEqual([entry.message_id]);
  });

  it("gives each message its own UUID by default", () => {
    const outbox = createOutbox({ store: memoryOutboxStore(), transport: { canSend: () => false, send: () => new Promise(() => {}) } });

    const first = outbox.enqueue("chat", "one");
    const second = outbox.enqueue("chat", "two");

    expect(first.message_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.message_id).not.toBe(first.message_id);
  });

  it("sends one message at a time, in the order they were typed", async () => {
    const { outbox, transport, delivered } = setup();

    outbox.enqueue("chat", "one");
    outbox.enqueue("chat", "two");
    outbox.enqueue("other", "three");

    expect(transport.sent.map((s) => s.message.text)).toEqual(["one"]);
    await transport.store();
    expect(transport.sent.map((s) => s.message.text)).toEqual(["two"]);
    await transport.store();
    await transport.store();

    expect(delivered.map((r) => r.text)).toEqual(["one", "two", "three"]);
    expect(delivered.map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it("holds messages while it cannot send and sends them on flush", async () => {
    const { outbox, transport } = setup();
    transport.connected = false;

    outbox.enqueue("chat", "typed while offline");
    await settle();
    expect(transport.sent).toHaveLength(0);
    expect(outbox.entries.value[0]!.state).toBe("sending");

    transport.connected = true;
    void outbox.flush();

    expect(transport.sent.map((s) => s.message.text)).toEqual(["typed while offline"]);
  });

  it("re-sends a message with the same id after a reconnect when the ack was lost, and delivers it once", async () => {
    const { outbox, transport, delivered } = setup();
    const entry = outbox.enqueue("chat", "hello");
    outbox.enqueue("chat", "after");

    await transport.drop();
    expect(outbox.entries.value.map((e) => e.state)).toEqual(["sending", "sending"]);

    transport.connected = true;
    void outbox.flush();
    expect(transport.sent.map((s) => s.message.message_id)).toEqual([entry.message_id]);
    await transport.store();
    await transport.store();

    expect(delivered.map((r) => r.text)).toEqual(["hello", "after"]);
    expect(outbox.entries.value).toEqual([]);
  });

  it("tries again when an ack times out while still connected", async () => {
    const { outbox, transport } = setup();
    const entry = outbox.enqueue("chat", "slow");

    transport.sent.shift()!.reject(new Error("operation has timed out"));
    await settle();
    expect(transport.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);

    expect(transport.sent.map((s) => s.message.message_id)).toEqual([entry.message_id]);
  });

  it("survives a reload: a new outbox on the same storage shows the messages and sends them", async () => {
    const storage = window.localStorage;
    storage.clear();
    const first = setup(localOutboxStore("alice", storage));
    first.transport.connected = false;
    const a = first.outbox.enqueue("chat", "first");
    const b = first.outbox.enqueue("chat", "second");
    first.outbox.dispose();

    const reloaded = setup(localOutboxStore("alice", storage));
    expect(reloaded.outbox.entries.value.map((e) => [e.message_id, e.text, e.state])).toEqual([
      [a.message_id, "first", "sending"],
      [b.message_id, "second", "sending"],
    ]);

    void reloaded.outbox.flush();
    expect(reloaded.transport.sent[0]!.message.message_id).toBe(a.message_id);
    await reloaded.transport.store();
    await reloaded.transport.store();

    expect(reloaded.delivered.map((r) => r.message_id)).toEqual([a.message_id, b.message_id]);
    expect(storage.getItem("sockeye-chat:outbox:alice")).toBeNull();
  });

  it("marks a message the service refuses as failed with the reason, and goes on with the next", async () => {
    const { outbox, transport, failed, store } = setup();
    const bad = outbox.enqueue("chat", "x".repeat(4001));
    outbox.enqueue("chat", "fine");

    await transport.refuse({ code: "INVALID_PAYLOAD", field: "text", message: "text must be at most 4000 characters" });

    expect(outbox.entries.value[0]).toMatchObject({
      message_id: bad.message_id,
      state: "failed",
      error: { code: "INVALID_PAYLOAD", field: "text", message: "text must be at most 4000 characters" },
    });
    expect(store.entries[0]!.state).toBe("failed");
    expect(failed.map((e) => e.message_id)).toEqual([bad.message_id]);
    expect(transport.sent.map((s) => s.message.text)).toEqual(["fine"]);
    await transport.store();
    expect(outbox.entries.value.map((e) => e.message_id)).toEqual([bad.message_id]);
  });

  it("sends a failed message again with the same id on retry", async () => {
    const { outbox, transport, delivered } = setup();
    const entry = outbox.enqueue("side", "hello");
    await transport.refuse({ code: "INVALID_PAYLOAD", field: "room", message: "not a member of room 'side'" });

    outbox.retry(entry.message_id);

    expect(outbox.entries.value[0]!.state).toBe("sending");
    expect(outbox.entries.value[0]!.error).toBeNull();
    expect(transport.sent[0]!.message.message_id).toBe(entry.message_id);
    await transport.store();
    expect(delivered.map((r) => r.message_id)).toEqual([entry.message_id]);
  });

  it("discards only failed messages", async () => {
    const { outbox, transport, store } = setup();
    const failed = outbox.enqueue("chat", "too long");
    const pending = outbox.enqueue("chat", "pending");
    await transport.refuse({ code: "INVALID_PAYLOAD", field: "text", message: "too long" });

    expect(outbox.discard(pending.message_id)).toBeUndefined();
    expect(outbox.discard(failed.message_id)?.text).toBe("too long");

    expect(outbox.entries.value.map((e) => e.text)).toEqual(["pending"]);
    expect(store.entries.map((e) => e.text)).toEqual(["pending"]);
  });

  it("waits as long as the rate limit says and sends the same message again, before the next one", async () => {
    const { outbox, transport, delivered } = setup();
    const limited = outbox.enqueue("chat", "eleventh");
    outbox.enqueue("chat", "twelfth");

    await transport.refuse({ code: "RATE_LIMITED", message: "too many messages; retry later", retry_after_ms: 200 });
    expect(outbox.entries.value[0]!.state).toBe("sending");
    await vi.advanceTimersByTimeAsync(199);
    expect(transport.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);

    expect(transport.sent.map((s) => s.message.message_id)).toEqual([limited.message_id]);
    await transport.store();
    await transport.store();
    expect(delivered.map((r) => r.text)).toEqual(["eleventh", "twelfth"]);
  });

  it("cuts a rate-limit wait short on a new connection", async () => {
    const { outbox, transport } = setup();
    outbox.enqueue("chat", "waiting");
    await transport.refuse({ code: "RATE_LIMITED", message: "too many messages; retry later", retry_after_ms: 5000 });

    void outbox.flush();
    await settle();

    expect(transport.sent).toHaveLength(1);
  });

  it("counts a message as sent when the service is seen to have stored it, even without its ack", async () => {
    const { outbox, transport, delivered } = setup();
    const entry = outbox.enqueue("chat", "hello");
    await transport.drop();

    outbox.markStored(transport.record({ message_id: entry.message_id, room: "chat", text: "hello" }));

    expect(outbox.entries.value).toEqual([]);
    expect(delivered.map((r) => r.message_id)).toEqual([entry.message_id]);
    transport.connected = true;
    void outbox.flush();
    expect(transport.sent).toHaveLength(0);
  });

  it("keeps re-sending with growing pauses while the service cannot store the message", async () => {
    const { outbox, transport, delivered } = setup();
    outbox.enqueue("chat", "hello");

    await transport.refuse({ code: "INTERNAL_ERROR", message: "the message could not be stored; retry with the same message_id" });
    expect(outbox.entries.value[0]!.state).toBe("sending");
    await vi.advanceTimersByTimeAsync(1500);
    await transport.refuse({ code: "INTERNAL_ERROR", message: "the message could not be stored; retry with the same message_id" });
    await vi.advanceTimersByTimeAsync(3000);
    await transport.store();

    expect(delivered).toHaveLength(1);
  });
});

describe("localOutboxStore", () => {
  it("lets two tabs of one user add and remove their own messages without losing the other's", () => {
    const storage = window.localStorage;
    storage.clear();
    const tabA = localOutboxStore("alice", storage);
    const tabB = localOutboxStore("alice", storage);
    const entry = (id: string): OutboxEntry => ({ message_id: id, room: "chat", text: id, created_at: new Date(0).toISOString(), state: "sending", error: null });

    tabA.save(entry("a"));
    tabB.save(entry("b"));
    tabA.remove("a");

    expect(tabA.load().map((e) => e.message_id)).toEqual(["b"]);
  });

  it("keeps users apart and tolerates what it cannot read", () => {
    const storage = window.localStorage;
    storage.clear();
    storage.setItem("sockeye-chat:outbox:bob", "{not json");
    storage.setItem("sockeye-chat:outbox:carol", JSON.stringify([{ message_id: 1 }, { message_id: "x", room: "chat", text: "ok", created_at: "2026-01-01T00:00:00Z", state: "sending", error: null }]));

    expect(localOutboxStore("alice", storage).load()).toEqual([]);
    expect(localOutboxStore("bob", storage).load()).toEqual([]);
    expect(localOutboxStore("carol", storage).load().map((e) => e.message_id)).toEqual(["x"]);
  });
});
