import { describe, expect, it } from "vitest";
import { buildTimeline, contiguousSeq, lastSeq, mergeRecords } from "../../src/chat/timeline";
import type { OutboxEntry } from "../../src/outbox/outboxStore";
import type { ChatRecord } from "../../src/realtime/protocol";

function record(seq: number, user = "bob"): ChatRecord {
  return { id: seq + 100, seq, message_id: null, user_id: user, room: "chat", text: `m${seq}`, timestamp: "2026-12-04T10:00:00Z" };
}

describe("mergeRecords", () => {
  it("keeps messages ascending by seq whatever order pages arrive in", () => {
    const merged = mergeRecords([record(4), record(5)], [record(3), record(1), record(2)]);

    expect(merged.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it("drops what is already shown", () => {
    const existing = [record(1), record(2)];

    expect(mergeRecords(existing, [record(2), record(1)])).toBe(existing);
    expect(mergeRecords(existing, [record(2), record(3)]).map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it("appends a new message at the end", () => {
    expect(mergeRecords([record(1)], [record(2)]).map((r) => r.seq)).toEqual([1, 2]);
    expect(lastSeq([])).toBe(0);
    expect(lastSeq([record(1), record(7)])).toBe(7);
  });
});

describe("buildTimeline", () => {
  it("places notices after the message they followed and the user's pending messages last", () => {
    const pending: OutboxEntry = { message_id: "p", room: "chat", text: "mine", created_at: "2026-12-04T10:00:00Z", state: "sending", error: null };

    const items = buildTimeline(
      [record(1, "alice"), record(2)],
      [
        { key: "n1", text: "carol joined", at: "", afterSeq: 1 },
        { key: "n2", text: "carol left", at: "", afterSeq: 2 },
      ],
      [pending],
      "alice",
    );

    expect(items.map((i) => `${i.kind}:${i.key}`)).toEqual(["message:m101", "notice:n1", "message:m102", "notice:n2", "pending:pp"]);
    expect(items[0]).toMatchObject({ mine: true });
    expect(items[2]).toMatchObject({ mine: false });
  });
});

describe("contiguousSeq", () => {
  const record = (seq: number) => ({ id: seq, message_id: null, user_id: "u", room: "chat", text: `m${seq}`, timestamp: "2026-12-04T00:00:00Z", seq });

  it("is 0 for an empty room", () => {
    expect(contiguousSeq([])).toBe(0);
  });

  it("is the last seq when nothing is missing", () => {
    expect(contiguousSeq([record(4), record(5), record(6)])).toBe(6);
  });

  it("stops before the first hole, so a catch-up fills it", () => {
    expect(contiguousSeq([record(4), record(5), record(7), record(8)])).toBe(5);
  });
});
