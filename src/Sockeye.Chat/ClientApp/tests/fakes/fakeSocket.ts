import type { SocketFactory, SocketLike } from "../../src/realtime/useSocket";

type Handler = (...args: unknown[]) => void;

export interface SentRequest {
  event: string;
  payload: Record<string, unknown>;
  timeoutMs: number;
  ack(value: unknown): void;
}

/**
 * Stands in for socket.io-client's Socket with the server's side scripted by the test: it records what the client
 * asks for (connect attempts with their auth payload, requests with acks) and lets the test answer.
 */
export class FakeSocket implements SocketLike {
  connected = false;
  readonly connectCalls: Array<Record<string, unknown> | undefined> = [];
  readonly requests: SentRequest[] = [];
  disconnectCalls = 0;
  transportName = "websocket";
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly managerHandlers = new Map<string, Set<Handler>>();
  private pendingAcks: Array<{ reject: (error: Error) => void; settled: () => boolean }> = [];

  constructor(readonly options: Record<string, unknown>) {}

  readonly io: {
    on(event: "open", listener: () => void): unknown;
    engine?: { transport: { name: string }; on(event: "upgrade", listener: (t: { name: string }) => void): unknown };
  } = {
    on: (event: string, listener: () => void) => add(this.managerHandlers, event, listener),
    engine: undefined,
  };

  connect() {
    const auth = this.options.auth as ((callback: (data: Record<string, unknown>) => void) => void) | undefined;
    const index = this.connectCalls.length;
    this.connectCalls.push(undefined);
    this.io.engine = {
      transport: { name: this.transportName },
      on: () => undefined,
    };
    auth?.((data) => (this.connectCalls[index] = data));
    return this;
  }

  disconnect() {
    this.disconnectCalls++;
    if (this.connected) {
      this.connected = false;
      this.emit("disconnect", "io client disconnect");
      this.clearAcks();
    }
    return this;
  }

  on(event: string, listener: Handler) {
    add(this.handlers, event, listener);
    return this;
  }

  off(event: string, listener: Handler) {
    this.handlers.get(event)?.delete(listener);
    return this;
  }

  timeout(ms: number) {
    return {
      emitWithAck: (event: string, ...args: unknown[]) =>
        new Promise<unknown>((resolve, reject) => {
          let settled = false;
          const timer = setTimeout(() => {
            settled = true;
            reject(new Error("operation has timed out"));
          }, ms);
          this.pendingAcks.push({ reject: (e) => (settled ? undefined : ((settled = true), clearTimeout(timer), reject(e))), settled: () => settled });
          this.requests.push({
            event,
            payload: args[0] as Record<string, unknown>,
            timeoutMs: ms,
            ack: (value) => {
              if (!settled) {
                settled = true;
                clearTimeout(timer);
                resolve(value);
              }
            },
          });
        }),
    };
  }

  // The server's side.

  /** The service accepts the CONNECT of the attempt under way. */
  accept() {
    this.connected = true;
    this.emit("connect");
  }

  /** The attempt fails: a transport error, or a middleware refusal with `data.code`. */
  refuse(message: string, code?: string) {
    const error = Object.assign(new Error(message), code === undefined ? {} : { data: { code } });
    this.emit("connect_error", error);
  }

  /** The connection drops (`transport close`, `ping timeout`, `io server disconnect`...). */
  drop(reason = "transport close") {
    this.connected = false;
    this.emit("disconnect", reason);
    this.clearAcks();
  }

  /** The service emits an event to this client. */
  serverEmit(event: string, payload: unknown) {
    this.emit(event, payload);
  }

  /** The requests of one event not answered yet, oldest first. */
  pending(event?: string): SentRequest[] {
    return this.requests.filter((r) => (event === undefined || r.event === event) && !this.answered.has(r));
  }

  private readonly answered = new WeakSet<SentRequest>();

  /** Answers the oldest unanswered request of an event. */
  answer(event: string, value: unknown | ((payload: Record<string, unknown>) => unknown)): SentRequest {
    const request = this.pending(event)[0];
    if (request === undefined) {
      throw new Error(`No pending ${event} request`);
    }
    this.answered.add(request);
    request.ack(typeof value === "function" ? (value as (p: Record<string, unknown>) => unknown)(request.payload) : value);
    return request;
  }

  private clearAcks() {
    const acks = this.pendingAcks;
    this.pendingAcks = [];
    for (const ack of acks) {
      ack.reject(new Error("socket has been disconnected"));
    }
    for (const request of this.requests) {
      this.answered.add(request);
    }
  }

  private emit(event: string, ...args: unknown[]) {
    for (const handler of [...(this.handlers.get(event) ?? [])]) {
      handler(...args);
    }
  }
}

function add(map: Map<string, Set<Handler>>, event: string, handler: Handler) {
  let set = map.get(event);
  if (set === undefined) {
    set = new Set();
    map.set(event, set);
  }
  set.add(handler);
}

/** A factory that hands out one fake socket and keeps it for the test. */
export function fakeSocketFactory(): { factory: SocketFactory; socket: () => FakeSocket } {
  let socket: FakeSocket | undefined;
  return {
    factory: (_url, options) => (socket = new FakeSocket(options as Record<string, unknown>)),
    socket: () => {
      if (socket === undefined) {
        throw new Error("No socket was created");
      }
      return socket;
    },
  };
}

/** A page whose visibility and network the test controls. */
export function fakeEnvironment() {
  const listeners = new Set<() => void>();
  const environment = {
    visible: true,
    online: true,
    isVisible: () => environment.visible,
    isOnline: () => environment.online,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(change: { visible?: boolean; online?: boolean }) {
      Object.assign(environment, change);
      for (const listener of listeners) {
        listener();
      }
    },
  };
  return environment;
}

/** Lets promise continuations (the token callback, awaited acks) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await Promise.resolve();
  }
}
