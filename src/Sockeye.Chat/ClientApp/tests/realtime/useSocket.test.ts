import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { effectScope } from "vue";
import { createSocketConnection, RequestError } from "../../src/realtime/useSocket";
import type { SocketConnectionOptions } from "../../src/realtime/useSocket";
import { fakeEnvironment, fakeSocketFactory, settle } from "../fakes/fakeSocket";

function setup(overrides: Partial<SocketConnectionOptions> = {}) {
  const fake = fakeSocketFactory();
  const environment = fakeEnvironment();
  let issued = 0;
  const getToken = vi.fn(async () => `token-${++issued}`);
  const refreshToken = vi.fn(async () => `fresh-${++issued}`);
  const onUnauthorized = vi.fn();
  const scope = effectScope();
  const connection = scope.run(() =>
    createSocketConnection({
      getToken,
      refreshToken,
      onUnauthorized,
      createSocket: fake.factory,
      environment,
      // The middle of the randomization range: delays are the nominal ones.
      random: () => 0.5,
      ...overrides,
    }),
  )!;
  return { connection, socket: fake.socket(), environment, getToken, refreshToken, onUnauthorized, scope };
}

describe("useSocket", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("connects WebSocket first with polling as the fallback, without socket.io-client's own reconnection", () => {
    const { socket } = setup();

    expect(socket.options).toMatchObject({
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnection: false,
      autoConnect: false,
      path: "/socket.io",
    });
    expect(typeof socket.options.auth).toBe("function");
  });

  it("sends the token in auth.token and reports connecting, then connected with the transport", async () => {
    const { connection, socket } = setup();
    socket.transportName = "polling";

    connection.start();
    expect(connection.status.value).toBe("connecting");
    await settle();
    expect(socket.connectCalls).toEqual([{ token: "token-1" }]);

    socket.accept();
    expect(connection.status.value).toBe("connected");
    expect(connection.transport.value).toBe("polling");
  });

  it("after a disconnect reconnects with a token asked for again, and says which attempt comes when", async () => {
    const { connection, socket, getToken } = setup();
    connection.start();
    await settle();
    socket.accept();

    socket.drop("transport close");
    expect(connection.status.value).toBe("reconnecting");
    expect(connection.disconnectReason.value).toBe("transport close");
    expect(connection.attempt.value).toBe(1);
    expect(connection.nextRetryAt.value).toBe(Date.now() + 1000);
    expect(connection.nextRetryIn.value).toBe(1);
    expect(connection.transport.value).toBeNull();

    await vi.advanceTimersByTimeAsync(999);
    expect(socket.connectCalls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.connectCalls).toHaveLength(2);
    expect(connection.nextRetryAt.value).toBeNull();
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(socket.connectCalls[1]).toEqual({ token: "token-2" });

    socket.accept();
    expect(connection.status.value).toBe("connected");
    expect(connection.attempt.value).toBe(0);
  });

  it("backs off 1 s, 2 s, 4 s, then 5 s, and keeps trying while the page is visible", async () => {
    const { connection, socket } = setup();
    connection.start();
    await settle();
    socket.accept();
    socket.drop();

    const delays: number[] = [];
    for (let i = 0; i < 25; i++) {
      delays.push(connection.nextRetryAt.value! - Date.now());
      await vi.advanceTimersByTimeAsync(connection.nextRetryAt.value! - Date.now());
      socket.refuse("xhr poll error");
    }

    expect(delays.slice(0, 5)).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(delays.slice(5).every((d) => d === 5000)).toBe(true);
    expect(connection.status.value).toBe("reconnecting");
    expect(connection.attempt.value).toBe(26);
    expect(socket.connectCalls).toHaveLength(26);
  });

  it("spreads the delays by 50% either way", () => {
    const low = setup({ random: () => 0 });
    low.connection.start();
    low.socket.refuse("websocket error");
    expect(low.connection.nextRetryAt.value! - Date.now()).toBe(500);

    const high = setup({ random: () => 0.999999 });
    high.connection.start();
    high.socket.refuse("websocket error");
    expect(high.connection.nextRetryAt.value! - Date.now()).toBe(1500);
  });

  it("counts down to the next attempt", async () => {
    const { connection, socket } = setup();
    connection.start();
    socket.refuse("timeout");
    socket.refuse("timeout");
    await vi.advanceTimersByTimeAsync(1000);
    socket.refuse("timeout");
    expect(connection.nextRetryIn.value).toBe(2);

    await vi.advanceTimersByTimeAsync(1100);
    expect(connection.nextRetryIn.value).toBe(1);
  });

  it("asks for a new token before the next attempt when the service says the token expired", async () => {
    const { connection, socket, refreshToken } = setup();
    connection.start();
    await settle();

    socket.refuse("unauthorized", "AUTH_EXPIRED");
    await vi.advanceTimersByTimeAsync(1000);

    expect(refreshToken).toHaveBeenCalledTimes(1);
    expect(socket.connectCalls[1]).toEqual({ token: "fresh-2" });
  });

  it("gives up and asks for a new sign-in when the token is refused three times in a row", async () => {
    const { connection, socket, onUnauthorized } = setup();
    connection.start();
    for (let i = 0; i < 3; i++) {
      await settle();
      socket.refuse("unauthorized", "AUTH_INVALID");
      await vi.advanceTimersByTimeAsync(connection.nextRetryAt.value === null ? 0 : connection.nextRetryAt.value - Date.now());
    }

    expect(connection.status.value).toBe("offline");
    expect(connection.offlineReason.value).toBe("unauthorized");
    expect(onUnauthorized).toHaveBeenCalledWith("AUTH_INVALID");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(socket.connectCalls).toHaveLength(3);
  });

  it("reconnects after the server disconnected the socket too", async () => {
    const { connection, socket } = setup();
    connection.start();
    socket.accept();

    socket.drop("io server disconnect");
    await vi.advanceTimersByTimeAsync(1000);

    expect(socket.connectCalls).toHaveLength(2);
  });

  it("pauses while the page is hidden and tries at once when it is shown again", async () => {
    const { connection, socket, environment } = setup();
    connection.start();
    socket.accept();
    environment.set({ visible: false });

    socket.drop("ping timeout");
    expect(connection.status.value).toBe("offline");
    expect(connection.offlineReason.value).toBe("hidden");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(socket.connectCalls).toHaveLength(1);

    environment.set({ visible: true });
    expect(connection.status.value).toBe("reconnecting");
    expect(socket.connectCalls).toHaveLength(2);
  });

  it("waits for the network when the browser is offline", async () => {
    const { connection, socket, environment } = setup();
    connection.start();
    socket.accept();

    socket.drop("transport close");
    environment.set({ online: false });
    expect(connection.status.value).toBe("offline");
    expect(connection.offlineReason.value).toBe("no-network");
    await vi.advanceTimersByTimeAsync(30_000);
    expect(socket.connectCalls).toHaveLength(1);

    environment.set({ online: true });
    expect(socket.connectCalls).toHaveLength(2);
  });

  it("retries at once on request", async () => {
    const { connection, socket } = setup();
    connection.start();
    socket.accept();
    socket.drop();

    connection.retryNow();

    expect(socket.connectCalls).toHaveLength(2);
    expect(connection.nextRetryAt.value).toBeNull();
  });

  it("gives up on an attempt the service never answers", async () => {
    const { connection, socket } = setup({ attemptTimeoutMs: 3000 });
    connection.start();

    await vi.advanceTimersByTimeAsync(3000);

    expect(socket.disconnectCalls).toBe(1);
    expect(connection.status.value).toBe("reconnecting");
    expect(connection.lastError.value).toBe("timeout");
  });

  it("refuses a request while disconnected instead of letting socket.io-client buffer it", async () => {
    const { connection } = setup();

    await expect(connection.request("who", { room: "chat" })).rejects.toMatchObject({ kind: "not-connected" });
    expect(RequestError).toBeDefined();
  });

  it("resolves a request with its ack, and rejects it when the connection drops first", async () => {
    const { connection, socket } = setup();
    connection.start();
    socket.accept();

    const answered = connection.request("who", { room: "chat" });
    socket.answer("who", { room: "chat", users: ["alice"] });
    await expect(answered).resolves.toEqual({ room: "chat", users: ["alice"] });

    const lost = connection.request("who", { room: "chat" });
    socket.drop();
    await expect(lost).rejects.toMatchObject({ kind: "disconnected" });
  });

  it("rejects a request whose ack does not come in time", async () => {
    const { connection, socket } = setup({ ackTimeoutMs: 2000 });
    connection.start();
    socket.accept();

    const request = connection.request("who", { room: "chat" });
    const outcome = expect(request).rejects.toMatchObject({ kind: "timeout" });
    await vi.advanceTimersByTimeAsync(2000);
    await outcome;
  });

  it("stops for good when stopped", async () => {
    const { connection, socket } = setup();
    connection.start();
    socket.accept();

    connection.stop();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(connection.status.value).toBe("offline");
    expect(connection.offlineReason.value).toBe("stopped");
    expect(socket.connectCalls).toHaveLength(1);
  });
});
