import { io } from "socket.io-client";
import type { ManagerOptions, SocketOptions } from "socket.io-client";
import { computed, inject, provide, readonly, ref, shallowRef, watch } from "vue";
import type { ComputedRef, InjectionKey, Ref } from "vue";
import { backoffDelay, defaultBackoff } from "./backoff";
import type { BackoffPolicy } from "./backoff";
import { browserEnvironment } from "./pageEnvironment";
import type { PageEnvironment } from "./pageEnvironment";
import { AuthCodes } from "./protocol";
import type { Acked, RequestName, Requests, ServerEvents } from "./protocol";

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline";

/** Why no attempt is scheduled while `offline`. */
export type OfflineReason = "stopped" | "no-network" | "hidden" | "unauthorized";

export type TransportName = "websocket" | "polling" | "webtransport";

// socket.io-client types untyped listeners so; a narrower type would not accept its Socket.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;

/** The part of socket.io-client's `Socket` this module uses; tests pass a fake. */
export interface SocketLike {
  readonly connected: boolean;
  readonly io: {
    on(event: "open", listener: () => void): unknown;
    readonly engine?: {
      readonly transport?: { readonly name: string };
      on(event: "upgrade", listener: (transport: { name: string }) => void): unknown;
    };
  };
  connect(): unknown;
  disconnect(): unknown;
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
}

export type SocketFactory = (url: string | undefined, options: Partial<ManagerOptions & SocketOptions>) => SocketLike;

export interface SocketConnectionOptions {
  /** The service's origin; the page's own by default. */
  url?: string;
  /** A token good for the next attempt (the caller refreshes it when it is about to expire). */
  getToken: () => Promise<string>;
  /** A new token, after the service answered `AUTH_EXPIRED` (or refused the token). */
  refreshToken: () => Promise<string>;
  /** Called when the service keeps refusing the token: the user has to sign in again. */
  onUnauthorized?: (code: string) => void;
  createSocket?: SocketFactory;
  backoff?: BackoffPolicy;
  random?: () => number;
  environment?: PageEnvironment;
  /** How long a request waits for its ack (default 10 s). */
  ackTimeoutMs?: number;
  /** How long one connection attempt may take, handshake and CONNECT included (default 15 s). */
  attemptTimeoutMs?: number;
  /** Refused tokens in a row before giving up (default 3). */
  maxAuthFailures?: number;
}

/** Why a request got no acknowledgement. */
export class RequestError extends Error {
  constructor(
    readonly kind: "not-connected" | "timeout" | "disconnected",
    readonly event: string,
  ) {
    super(`${event}: ${kind}`);
    this.name = "RequestError";
  }
}

export interface SocketConnection {
  readonly status: Readonly<Ref<ConnectionStatus>>;
  /** While reconnecting: the number of the attempt under way or scheduled (1 for the first retry). */
  readonly attempt: Readonly<Ref<number>>;
  /** While reconnecting: when the next attempt starts (epoch ms), or null while one is under way. */
  readonly nextRetryAt: Readonly<Ref<number | null>>;
  /** Seconds until the next attempt, ticking; null when none is scheduled. */
  readonly nextRetryIn: ComputedRef<number | null>;
  readonly offlineReason: Readonly<Ref<OfflineReason | null>>;
  /** The reason of the last disconnect (`transport close`, `ping timeout`, ...). */
  readonly disconnectReason: Readonly<Ref<string | null>>;
  /** The message of the last failed attempt (`xhr poll error`, `unauthorized`, ...). */
  readonly lastError: Readonly<Ref<string | null>>;
  readonly transport: Readonly<Ref<TransportName | null>>;
  start(): void;
  stop(): void;
  /** Skips the wait for the scheduled attempt (or leaves `offline`). */
  retryNow(): void;
  /** Emits with an ack; rejects with a {@link RequestError} when no ack came. */
  request<K extends RequestName>(event: K, payload: Requests[K]["payload"], timeoutMs?: number): Promise<Acked<K>>;
  on<K extends keyof ServerEvents>(event: K, handler: (payload: ServerEvents[K]) => void): () => void;
  onConnected(handler: () => void): () => void;
  onDisconnected(handler: (reason: string) => void): () => void;
  dispose(): void;
}

const defaultFactory: SocketFactory = (url, options) => (url === undefined ? io(options) : io(url, options));

/**
 * The tab's Socket.IO connection. socket.io-client's own reconnection is off: this module schedules the attempts
 * itself so that it can say when the next one is (the manager keeps that private), pause while the page is hidden or
 * the browser is offline, and refresh the token in between.
 */
export function createSocketConnection(options: SocketConnectionOptions): SocketConnection {
  const policy = options.backoff ?? defaultBackoff;
  const random = options.random ?? Math.random;
  const environment = options.environment ?? browserEnvironment;
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 15_000;
  const maxAuthFailures = options.maxAuthFailures ?? 3;

  const status = ref<ConnectionStatus>("offline");
  const attempt = ref(0);
  const nextRetryAt = ref<number | null>(null);
  const offlineReason = ref<OfflineReason | null>("stopped");
  const disconnectReason = ref<string | null>(null);
  const lastError = ref<string | null>(null);
  const transport = shallowRef<TransportName | null>(null);
  const now = ref(Date.now());

  let stopped = true;
  let attemptInFlight = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attemptTimer: ReturnType<typeof setTimeout> | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let authFailures = 0;
  let mustRefresh = false;
  let lastToken: string | undefined;
  const connectedHandlers = new Set<() => void>();
  const disconnectedHandlers = new Set<(reason: string) => void>();

  const socket = (options.createSocket ?? defaultFactory)(options.url, {
    path: "/socket.io",
    autoConnect: false,
    reconnection: false,
    transports: ["websocket", "polling"],
    // WebSocket first; where a proxy or firewall blocks it, the same attempt falls back to long-polling.
    tryAllTransports: true,
    timeout: 10_000,
    // The callback form runs before every attempt, so each one carries a current token.
    auth: (callback: (data: object) => void) => {
      const token = mustRefresh ? options.refreshToken() : options.getToken();
      mustRefresh = false;
      token.then(
        (value) => {
          lastToken = value;
          callback({ token: value });
        },
        () => callback(lastToken === undefined ? {} : { token: lastToken }),
      );
    },
  });

  const nextRetryIn = computed(() => (nextRetryAt.value === null ? null : Math.max(0, Math.ceil((nextRetryAt.value - now.value) / 1000))));
  watch(nextRetryAt, (at) => {
    if (at !== null && ticker === undefined) {
      now.value = Date.now();
      ticker = setInterval(() => (now.value = Date.now()), 250);
    } else if (at === null && ticker !== undefined) {
      clearInterval(ticker);
      ticker = undefined;
    }
  }, { flush: "sync" });

  function clearRetry() {
    if (retryTimer !== undefined) {
      clearTimeout(retryTimer);
      retryTimer = undefined;
    }
    nextRetryAt.value = null;
  }

  function clearAttemptTimer() {
    if (attemptTimer !== undefined) {
      clearTimeout(attemptTimer);
      attemptTimer = undefined;
    }
  }

  function goOffline(reason: OfflineReason) {
    clearRetry();
    status.value = "offline";
    offlineReason.value = reason;
  }

  function open() {
    clearRetry();
    offlineReason.value = null;
    attemptInFlight = true;
    attemptTimer = setTimeout(() => {
      // The server accepted the transport but never answered CONNECT: give up on this attempt.
      attemptTimer = undefined;
      attemptInFlight = false;
      lastError.value = "timeout";
      socket.disconnect();
      scheduleRetry();
    }, attemptTimeoutMs);
    socket.connect();
  }

  function scheduleRetry() {
    if (stopped || retryTimer !== undefined || attemptInFlight) {
      return;
    }
    if (!environment.isOnline()) {
      goOffline("no-network");
      return;
    }
    if (!environment.isVisible()) {
      // Attempts are unlimited while someone looks at the page; a hidden tab waits until it is shown again.
      goOffline("hidden");
      return;
    }
    attempt.value += 1;
    status.value = "reconnecting";
    offlineReason.value = null;
    const delay = backoffDelay(attempt.value, policy, random);
    nextRetryAt.value = Date.now() + delay;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      open();
    }, delay);
  }

  function stop() {
    stopped = true;
    clearRetry();
    clearAttemptTimer();
    attemptInFlight = false;
    socket.disconnect();
    goOffline("stopped");
  }

  function resume() {
    attempt.value += 1;
    status.value = "reconnecting";
    open();
  }

  socket.io.on("open", () => {
    socket.io.engine?.on("upgrade", (next) => (transport.value = next.name as TransportName));
  });

  socket.on("connect", () => {
    clearAttemptTimer();
    attemptInFlight = false;
    authFailures = 0;
    clearRetry();
    attempt.value = 0;
    offlineReason.value = null;
    lastError.value = null;
    transport.value = (socket.io.engine?.transport?.name as TransportName | undefined) ?? null;
    status.value = "connected";
    for (const handler of connectedHandlers) {
      handler();
    }
  });

  socket.on("connect_error", (error: Error & { data?: { code?: string } }) => {
    clearAttemptTimer();
    attemptInFlight = false;
    lastError.value = error.data?.code ?? error.message;
    const code = error.data?.code;
    if (code === AuthCodes.Expired || code === AuthCodes.Invalid || code === AuthCodes.Missing) {
      authFailures += 1;
      if (authFailures >= maxAuthFailures) {
        stopped = true;
        goOffline("unauthorized");
        options.onUnauthorized?.(code);
        return;
      }
      mustRefresh = true;
    }
    scheduleRetry();
  });

  socket.on("disconnect", (reason: string) => {
    // Also raised when the transport closes before the service answered CONNECT: then it ends a failed attempt.
    const wasConnected = status.value === "connected";
    clearAttemptTimer();
    attemptInFlight = false;
    transport.value = null;
    disconnectReason.value = reason;
    for (const handler of disconnectedHandlers) {
      handler(reason);
    }
    if (stopped || reason === "io client disconnect") {
      return;
    }
    // Every other reason, "io server disconnect" included, is worth a new attempt: the outbox may hold messages.
    if (wasConnected) {
      attempt.value = 0;
    }
    scheduleRetry();
  });

  const unsubscribeEnvironment = environment.subscribe(() => {
    if (stopped) {
      return;
    }
    if (!environment.isOnline() && retryTimer !== undefined) {
      goOffline("no-network");
    } else if (status.value === "offline" && environment.isOnline() && environment.isVisible()) {
      resume();
    }
  });

  return {
    status: readonly(status),
    attempt: readonly(attempt),
    nextRetryAt: readonly(nextRetryAt),
    nextRetryIn,
    offlineReason: readonly(offlineReason),
    disconnectReason: readonly(disconnectReason),
    lastError: readonly(lastError),
    transport: readonly(transport),

    start() {
      if (!stopped) {
        return;
      }
      stopped = false;
      authFailures = 0;
      attempt.value = 0;
      status.value = "connecting";
      open();
    },

    stop,

    retryNow() {
      if (stopped || attemptInFlight || status.value === "connected") {
        return;
      }
      if (retryTimer !== undefined) {
        open();
      } else {
        resume();
      }
    },

    async request<K extends RequestName>(event: K, payload: Requests[K]["payload"], timeoutMs = ackTimeoutMs): Promise<Acked<K>> {
      // Never let socket.io-client buffer a request while disconnected: callers decide what to re-send.
      if (!socket.connected) {
        throw new RequestError("not-connected", event);
      }
      try {
        return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as Acked<K>;
      } catch {
        throw new RequestError(socket.connected ? "timeout" : "disconnected", event);
      }
    },

    on(event, handler) {
      const listener = handler as Listener;
      socket.on(event, listener);
      return () => socket.off(event, listener);
    },

    onConnected(handler) {
      connectedHandlers.add(handler);
      return () => connectedHandlers.delete(handler);
    },

    onDisconnected(handler) {
      disconnectedHandlers.add(handler);
      return () => disconnectedHandlers.delete(handler);
    },

    dispose() {
      stop();
      unsubscribeEnvironment();
      if (ticker !== undefined) {
        clearInterval(ticker);
        ticker = undefined;
      }
      connectedHandlers.clear();
      disconnectedHandlers.clear();
    },
  };
}

const socketKey: InjectionKey<SocketConnection> = Symbol("socket");

/** Makes the tab's one connection available to the components below (called once, by the signed-in root). */
export function provideSocket(connection: SocketConnection): void {
  provide(socketKey, connection);
}

/** The tab's connection: its reactive state (status, attempt, next retry, transport) and its requests and events. */
export function useSocket(): SocketConnection {
  const connection = inject(socketKey);
  if (connection === undefined) {
    throw new Error("useSocket() needs a connection provided by an ancestor (provideSocket).");
  }
  return connection;
}
