import type { OutboxEntry } from "../outbox/outboxStore";
import type { ChatRecord } from "../realtime/protocol";

/** A presence change shown between messages: placed after the message with `afterSeq`. */
export interface Notice {
  key: string;
  text: string;
  at: string;
  afterSeq: number;
}

export type TimelineItem =
  | { kind: "message"; key: string; record: ChatRecord; mine: boolean }
  | { kind: "notice"; key: string; text: string; at: string }
  | { kind: "pending"; key: string; entry: OutboxEntry };

/**
 * Adds records to a room's messages, kept ascending by `seq` with each `seq` once: history pages, `sync` pages,
 * `new_message` events and acks can overlap, and whatever is already shown is dropped.
 */
export function mergeRecords(existing: readonly ChatRecord[], incoming: readonly ChatRecord[]): ChatRecord[] {
  if (incoming.length === 0) {
    return existing as ChatRecord[];
  }
  if (incoming.length === 1 && incoming[0]!.seq > lastSeq(existing)) {
    // The common case, a new message at the end.
    return [...existing, incoming[0]!];
  }
  const bySeq = new Map<number, ChatRecord>();
  for (const record of existing) {
    bySeq.set(record.seq, record);
  }
  let added = false;
  for (const record of incoming) {
    if (!bySeq.has(record.seq)) {
      bySeq.set(record.seq, record);
      added = true;
    }
  }
  if (!added) {
    return existing as ChatRecord[];
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The highest `seq` up to which the shown messages have no hole (counting from the oldest shown), 0 when none. A room's
 * sequence has no gaps on the server, so a hole means a message was missed (for example one stored by a server that
 * died before broadcasting it): catching up from here fills it.
 */
export function contiguousSeq(messages: readonly ChatRecord[]): number {
  if (messages.length === 0) {
    return 0;
  }
  let last = messages[0]!.seq;
  for (let i = 1; i < messages.length && messages[i]!.seq === last + 1; i++) {
    last = messages[i]!.seq;
  }
  return last;
}

/** The highest `seq` shown, 0 when none. */
export function lastSeq(messages: readonly ChatRecord[]): number {
  return messages.length === 0 ? 0 : messages[messages.length - 1]!.seq;
}

/** Stored messages with the notices between them, then the user's unacknowledged messages in the order sent. */
export function buildTimeline(
  messages: readonly ChatRecord[],
  notices: readonly Notice[],
  pending: readonly OutboxEntry[],
  me: string,
): TimelineItem[] {
  const items: TimelineItem[] = [];
  let n = 0;
  for (const record of messages) {
    while (n < notices.length && notices[n]!.afterSeq < record.seq) {
      const notice = notices[n++]!;
      items.push({ kind: "notice", key: notice.key, text: notice.text, at: notice.at });
    }
    items.push({ kind: "message", key: `m${record.id}`, record, mine: record.user_id === me });
  }
  for (; n < notices.length; n++) {
    const notice = notices[n]!;
    items.push({ kind: "notice", key: notice.key, text: notice.text, at: notice.at });
  }
  for (const entry of pending) {
    items.push({ kind: "pending", key: `p${entry.message_id}`, entry });
  }
  return items;
}
