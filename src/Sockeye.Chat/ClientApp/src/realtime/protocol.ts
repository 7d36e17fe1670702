// The chat service's Socket.IO contract (src/Sockeye.Chat/Realtime/ChatRealtime.cs). Payloads are snake_case.

/** A stored message: the ack of `chat_message`, the `new_message` event, and the items of `history` and `sync`. */
export interface ChatRecord {
  /** The server id, unique across rooms and increasing. */
  id: number;
  /** The client's UUID, when it sent one. */
  message_id: string | null;
  user_id: string;
  room: string;
  text: string;
  /** ISO 8601, when the server stored it. */
  timestamp: string;
  /** The position in its room: 1, 2, 3, ... without gaps. */
  seq: number;
}

/** The `error` event, and the `{ error }` of a failed ack. */
export interface ChatError {
  code: string;
  message: string;
  field?: string | null;
  retry_after_ms?: number | null;
}

export interface Failure {
  error: ChatError;
}

export const ErrorCodes = {
  InvalidPayload: "INVALID_PAYLOAD",
  RateLimited: "RATE_LIMITED",
  ConnectionLimit: "CONNECTION_LIMIT",
  Internal: "INTERNAL_ERROR",
} as const;

/** `connect_error.data.code` when the service refuses the token. */
export const AuthCodes = {
  Missing: "AUTH_MISSING",
  Invalid: "AUTH_INVALID",
  Expired: "AUTH_EXPIRED",
} as const;

export interface PresenceEvent {
  user_id: string;
  room: string;
}

export interface AlertEvent {
  message: string;
  timestamp: string;
}

/** Events the service emits. */
export interface ServerEvents {
  new_message: ChatRecord;
  user_joined: PresenceEvent;
  user_left: PresenceEvent;
  alert: AlertEvent;
  error: ChatError;
}

export interface MessagePage {
  room: string;
  messages: ChatRecord[];
}

/** Requests the service acknowledges: the payload sent and the ack on success (a failure is `{ error }`). */
export interface Requests {
  chat_message: { payload: { text: string; message_id: string; room: string }; result: ChatRecord };
  join_room: { payload: { room: string }; result: { ok: boolean; room: string } };
  leave_room: { payload: { room: string }; result: { ok: boolean; room: string } };
  /** Newest first, `limit` at most 100. */
  history: { payload: { room: string; before?: number; limit?: number }; result: MessagePage };
  /** Oldest first: the messages with a `seq` above `after`. */
  sync: { payload: { room: string; after: number; limit?: number }; result: MessagePage };
  who: { payload: { room: string }; result: { room: string; users: string[] } };
}

export type RequestName = keyof Requests;

export type Acked<K extends RequestName> = Requests[K]["result"] | Failure;

export function isFailure(value: unknown): value is Failure {
  return typeof value === "object" && value !== null && "error" in value && typeof (value as Failure).error === "object";
}

/** The room every connection joins. */
export const DefaultRoom = "chat";

/** The longest message text, in UTF-16 code units after trimming, as the service counts it. */
export const MaxTextLength = 4000;

/** The largest page `history` and `sync` return. */
export const MaxPageSize = 100;

const roomName = /^[A-Za-z0-9_.-]{1,64}$/;

/** The service's rule for room names: 1-64 ASCII letters, digits, `_`, `-` or `.`. */
export function isValidRoomName(name: string): boolean {
  return roomName.test(name);
}
