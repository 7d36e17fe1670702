import { readonly, ref } from "vue";
import type { Ref } from "vue";
import { backoffDelay } from "../realtime/backoff";
import { ErrorCodes, isFailure } from "../realtime/protocol";
import type { ChatError, ChatRecord, Failure } from "../realtime/protocol";
import type { OutboxEntry, OutboxStore } from "./outboxStore";

export interface OutboxTransport {
  /** Whether a message can go out now: connected, and the rooms joined again after a reconnect. */
  canSend(): boolean;
  /** Sends one message and resolves with its ack; rejects when no ack came (timeout, connection lost). */
  send(message: { message_id: string; room: string; text: string }): Promise<ChatRecord | Failure>;
}

export interface OutboxOptions {
  store: OutboxStore;
  transport: OutboxTransport;
  /** The service stored the message: `record` replaces the entry on screen. */
  onSent?: (record: ChatRecord, entry: OutboxEntry) => void;
  /** The service refused the message for good (a validation error). */
  onFailed?: (entry: OutboxEntry, error: ChatError) => void;
  newId?: () => string;
  now?: () => Date;
}

export interface Outbox {
  /** Unacknowledged messages in the order the user sent them: `sending`, or `failed` with the reason. */
  readonly entries: Readonly<Ref<readonly OutboxEntry[]>>;
  /** Adds a message (shown at once as sending) and sends it when it is its turn. */
  enqueue(room: string, text: string): OutboxEntry;
  /** Sends a failed message again, with the same id. */
  retry(messageId: string): void;
  /** Drops a failed message; returns it (to edit it, say). */
  discard(messageId: string): OutboxEntry | undefined;
  /**
   * The service has this message already (seen in `sync`, or from another tab): it counts as sent, whether or not
   * its own ack ever arrives.
   */
  markStored(record: ChatRecord): void;
  /** Sends whatever is waiting; call it after every (re)connect. */
  flush(): Promise<void>;
  dispose(): void;
}

/**
 * The messages the user typed that the service has not acknowledged. One message is in flight at a time, so the
 * service stores a user's messages in the order they were sent even across retries; a message not acknowledged is
 * sent again with the same `message_id` until it is, which the service's de-duplication makes exactly-once.
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { store, transport } = options;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const now = options.now ?? (() => new Date());
  const entries = ref<OutboxEntry[]>(store.load());
  let pumping: Promise<void> | null = null;
  let disposed = false;
  let wake: (() => void) | null = null;

  function replace(entry: OutboxEntry) {
    entries.value = entries.value.map((e) => (e.message_id === entry.message_id ? entry : e));
    store.save(entry);
  }

  function remove(messageId: string) {
    entries.value = entries.value.filter((e) => e.message_id !== messageId);
    store.remove(messageId);
  }

  /** Waits, or less when a flush (a reconnect) or dispose comes first. */
  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  async function pump() {
    let serverErrors = 0;
    while (!disposed && transport.canSend()) {
      const entry = entries.value.find((e) => e.state === "sending");
      if (entry === undefined) {
        return;
      }
      let ack: ChatRecord | Failure;
      try {
        ack = await transport.send({ message_id: entry.message_id, room: entry.room, text: entry.text });
      } catch {
        // No ack: the connection dropped (the next connect flushes again) or the service is slow (try again soon).
        if (transport.canSend()) {
          await pause(1000);
        }
        continue;
      }
      if (!entries.value.some((e) => e.message_id === entry.message_id)) {
        continue;
      }
      if (!isFailure(ack)) {
        remove(entry.message_id);
        options.onSent?.(ack, entry);
        serverErrors = 0;
        continue;
      }
      const error = ack.error;
      if (error.code === ErrorCodes.RateLimited) {
        await pause(Math.max(50, error.retry_after_ms ?? 1000));
      } else if (error.code === ErrorCodes.InvalidPayload) {
        const failed: OutboxEntry = { ...entry, state: "failed", error };
        replace(failed);
        options.onFailed?.(failed, error);
      } else {
        // The service could not store it (INTERNAL_ERROR, or a code this client does not know): same id, later.
        serverErrors += 1;
        await pause(backoffDelay(serverErrors));
      }
    }
  }

  function kick(): Promise<void> {
    if (pumping === null) {
      pumping = pump().finally(() => {
        pumping = null;
        // A message enqueued while the loop was finishing would otherwise wait for the next kick.
        if (!disposed && transport.canSend() && entries.value.some((e) => e.state === "sending")) {
          void kick();
        }
      });
    }
    return pumping;
  }

  function flush(): Promise<void> {
    // A new connection has a fresh rate limit and nothing in flight: no reason to sit out a wait from the last one.
    wake?.();
    return kick();
  }

  return {
    entries: readonly(entries) as Readonly<Ref<readonly OutboxEntry[]>>,

    enqueue(room, text) {
      const entry: OutboxEntry = { message_id: newId(), room, text, created_at: now().toISOString(), state: "sending", error: null };
      entries.value = [...entries.value, entry];
      store.save(entry);
      void kick();
      return entry;
    },

    retry(messageId) {
      const entry = entries.value.find((e) => e.message_id === messageId);
      if (entry?.state === "failed") {
        replace({ ...entry, state: "sending", error: null });
        void kick();
      }
    },

    discard(messageId) {
      const entry = entries.value.find((e) => e.message_id === messageId);
      if (entry?.state !== "failed") {
        return undefined;
      }
      remove(messageId);
      return entry;
    },

    markStored(record) {
      const entry = entries.value.find((e) => e.message_id === record.message_id);
      if (entry !== undefined) {
        remove(entry.message_id);
        options.onSent?.(record, entry);
      }
    },

    flush,

    dispose() {
      disposed = true;
      wake?.();
    },
  };
}
