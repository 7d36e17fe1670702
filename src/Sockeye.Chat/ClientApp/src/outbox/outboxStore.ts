import type { ChatError } from "../realtime/protocol";

export type OutboxState = "sending" | "failed";

/** A message the user sent that the service has not acknowledged yet. */
export interface OutboxEntry {
  /** The client UUID; the service de-duplicates on it, so re-sending is harmless. */
  message_id: string;
  room: string;
  text: string;
  /** ISO 8601, when the user pressed send. */
  created_at: string;
  state: OutboxState;
  /** Why the service refused it (state `failed`). */
  error: ChatError | null;
}

/** Where the outbox survives a reload or a crash. */
export interface OutboxStore {
  load(): OutboxEntry[];
  save(entry: OutboxEntry): void;
  remove(messageId: string): void;
}

/**
 * The outbox in `localStorage`, one key per user. Each change re-reads the key and changes only its own entry, so two
 * tabs of the same user do not overwrite each other's messages.
 */
export function localOutboxStore(userId: string, storage: Storage = window.localStorage): OutboxStore {
  const key = `sockeye-chat:outbox:${userId}`;

  function read(): OutboxEntry[] {
    try {
      const value: unknown = JSON.parse(storage.getItem(key) ?? "[]");
      return Array.isArray(value) ? value.filter(isEntry) : [];
    } catch {
      return [];
    }
  }

  function write(entries: OutboxEntry[]) {
    try {
      if (entries.length === 0) {
        storage.removeItem(key);
      } else {
        storage.setItem(key, JSON.stringify(entries));
      }
    } catch (error) {
      // Storage full or disabled: the messages still go out from memory, they just would not survive a reload.
      console.warn("The outbox could not be saved", error);
    }
  }

  return {
    load: read,
    save(entry) {
      const entries = read();
      const index = entries.findIndex((e) => e.message_id === entry.message_id);
      if (index >= 0) {
        entries[index] = entry;
      } else {
        entries.push(entry);
      }
      write(entries);
    },
    remove(messageId) {
      const entries = read();
      const kept = entries.filter((e) => e.message_id !== messageId);
      if (kept.length !== entries.length) {
        write(kept);
      }
    },
  };
}

/** An in-memory store, for tests and for browsers without storage. */
export function memoryOutboxStore(initial: OutboxEntry[] = []): OutboxStore & { entries: OutboxEntry[] } {
  const store = {
    entries: initial.map((e) => ({ ...e })),
    load: () => store.entries.map((e) => ({ ...e })),
    save(entry: OutboxEntry) {
      const index = store.entries.findIndex((e) => e.message_id === entry.message_id);
      if (index >= 0) {
        store.entries[index] = { ...entry };
      } else {
        store.entries.push({ ...entry });
      }
    },
    remove(messageId: string) {
      store.entries = store.entries.filter((e) => e.message_id !== messageId);
    },
  };
  return store;
}

function isEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const entry = value as Partial<OutboxEntry>;
  return (
    typeof entry.message_id === "string" &&
    typeof entry.room === "string" &&
    typeof entry.text === "string" &&
    typeof entry.created_at === "string" &&
    (entry.state === "sending" || entry.state === "failed")
  );
}
