// Drives a Sockeye Socket.IO endpoint with the official socket.io-client.
// usage: node socketio-client.mjs <scenario> <url> [arg]
import { io } from "socket.io-client";
import { isDeepStrictEqual } from "node:util";
import { emit, fail, once, bytes, text, command } from "./lib.mjs";

const [scenario, url, arg] = process.argv.slice(2);

function connect(nsp = "/", options = {}) {
  return io(url + nsp.replace(/^\//, ""), { reconnection: false, forceNew: true, ...options });
}

async function connected(socket, timeoutMs = 10000) {
  if (socket.connected) return;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("connect timed out")), timeoutMs);
    socket.once("connect", () => (clearTimeout(timer), resolve()));
    socket.once("connect_error", (err) => (clearTimeout(timer), reject(err)));
  });
}

// Buffers come back as Buffer in Node; compare structurally.
function normalize(value) {
  if (Buffer.isBuffer(value) || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return { bytes: Buffer.from(value).toString("base64") };
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

const shapes = () => [
  [null],
  [1, 2.5, -3, 0],
  ["plain"],
  ["unicode: é € 😀 中文 \u0000 \"quotes\" \\ slash"],
  [true, false],
  [{ nested: { deep: { deeper: [1, [2, [3, { x: "y" }]]] } }, list: [] }],
  [[], {}],
  [text(500000)],
  [bytes(1000)],
  [{ file: bytes(64), name: "a.bin", parts: [bytes(3), { inner: bytes(5) }] }],
  ["several", 1, { a: bytes(2) }, [bytes(4)], null],
];

async function main() {
  switch (scenario) {
    case "echo": {
      const transports = arg.split(",");
      const socket = connect("/", { transports, auth: { token: "abc" }, query: { q: "1" } });
      const welcome = once(socket, "welcome");
      await connected(socket);
      const [info] = await welcome;
      if (transports.length > 1) {
        if (socket.io.engine.transport.name !== "websocket") await once(socket.io.engine, "upgrade");
      }
      let checked = 0;
      for (const args of shapes()) {
        // emitWithAck resolves with the first argument of the acknowledgement.
        const back = await socket.timeout(20000).emitWithAck("echo", ...args);
        if (!isDeepStrictEqual(normalize(back), normalize(args[0]))) {
          throw new Error(`ack echo differs for ${JSON.stringify(normalize(args)).slice(0, 200)}: ${JSON.stringify(normalize(back)).slice(0, 200)}`);
        }
        const event = once(socket, "echo-back", 20000);
        socket.emit("echo-event", ...args);
        const received = await event;
        if (!isDeepStrictEqual(normalize(received), normalize(args))) throw new Error("event echo differs");
        checked++;
      }
      emit("done", { info, checked, transport: socket.io.engine.transport.name, id: socket.id });
      socket.disconnect();
      break;
    }
    case "server-ack": {
      const socket = connect("/", { transports: ["websocket"] });
      socket.on("ask", (question, callback) => callback({ answer: question.n * 2 }, bytes(3)));
      socket.on("ignore-me", () => {});
      const result = once(socket, "ask-result");
      await connected(socket);
      const [payload] = await result;
      emit("done", normalize(payload));
      socket.disconnect();
      break;
    }
    case "client-ack-timeout": {
      const socket = connect("/", { transports: ["websocket"] });
      await connected(socket);
      let error = null;
      try {
        await socket.timeout(300).emitWithAck("never-acked", 1);
      } catch (err) {
        error = err.message;
      }
      const ok = await socket.timeout(5000).emitWithAck("echo", "still fine");
      emit("done", { error, ok });
      socket.disconnect();
      break;
    }
    case "rooms": {
      // Four clients: a and b join room-a, c joins room-b, d joins nothing. a publishes to room-a.
      const names = ["a", "b", "c", "d"];
      const sockets = Object.fromEntries(names.map((n) => [n, connect("/", { transports: ["websocket"] })]));
      const received = Object.fromEntries(names.map((n) => [n, []]));
      for (const n of names) {
        sockets[n].on("message", (...args) => received[n].push(args));
        await connected(sockets[n]);
      }
      await sockets.a.emitWithAck("join", "room-a");
      await sockets.b.emitWithAck("join", "room-a");
      await sockets.c.emitWithAck("join", "room-b");
      // publish: server emits to the room from the sender (excluded) and from the server (included).
      await sockets.a.emitWithAck("publish", "room-a", "from a", false);
      await sockets.a.emitWithAck("publish", "room-a", "to everyone in room-a", true);
      await sockets.a.emitWithAck("publish-except", "room-b", "all but room-b");
      await sockets.d.emitWithAck("broadcast", "broadcast from d");
      // a final ping through every socket orders delivery: the server answers after it queued everything above.
      for (const n of names) await sockets[n].emitWithAck("echo", "sync");
      emit("done", { received });
      for (const n of names) sockets[n].disconnect();
      break;
    }
    case "namespaces": {
      const results = {};
      for (const nsp of ["/custom", "/dyn-42", "/unknown", "/private", "/"]) {
        const socket = connect(nsp, { transports: ["websocket"], auth: nsp === "/private" ? { token: "wrong" } : {} });
        try {
          await connected(socket);
          const [name] = await Promise.all([socket.timeout(5000).emitWithAck("whoami")]);
          results[nsp] = { ok: true, name };
        } catch (err) {
          results[nsp] = { ok: false, message: err.message, data: err.data ?? null };
        }
        socket.disconnect();
      }
      emit("done", { results });
      break;
    }
    case "multiplex": {
      // Two namespaces over one connection (same Manager).
      const main = io(url, { reconnection: false, transports: ["websocket"] });
      const custom = io(url + "custom", { reconnection: false, transports: ["websocket"] });
      await connected(main);
      await connected(custom);
      const a = await main.emitWithAck("whoami");
      const b = await custom.emitWithAck("whoami");
      emit("done", { a, b, sameEngine: main.io === custom.io, engines: main.io.engine.id === custom.io.engine.id });
      main.disconnect();
      custom.disconnect();
      break;
    }
    case "disconnect": {
      // arg: "server", "server-close", "client", "transport"
      const socket = connect("/", { transports: ["websocket"] });
      await connected(socket);
      const closed = once(socket, "disconnect", 10000);
      if (arg === "client") socket.disconnect();
      else if (arg === "transport") socket.io.engine.close();
      else socket.emit(arg === "server" ? "kick-me" : "close-me");
      const [reason] = await closed;
      emit("done", { reason });
      break;
    }
    case "many": {
      const count = Number(arg);
      const sockets = Array.from({ length: count }, (_, i) => connect("/", { transports: i % 3 === 0 ? ["polling"] : ["websocket"] }));
      const ok = await Promise.all(
        sockets.map(async (socket, i) => {
          await connected(socket, 30000);
          return (await socket.timeout(30000).emitWithAck("echo", `client ${i}`)) === `client ${i}`;
        }),
      );
      emit("done", { ok: ok.filter(Boolean).length, ids: new Set(sockets.map((s) => s.id)).size });
      sockets.forEach((s) => s.disconnect());
      break;
    }
    case "reconnect": {
      const socket = io(url, { transports: ["websocket"], reconnectionDelay: 100, reconnectionDelayMax: 200, randomizationFactor: 0 });
      await connected(socket);
      emit("connected", { id: socket.id });
      const [reason] = await once(socket, "disconnect", 30000);
      emit("disconnected", { reason });
      await once(socket, "connect", 30000);
      const back = await socket.timeout(5000).emitWithAck("echo", "after restart");
      emit("reconnected", { id: socket.id, echo: back });
      socket.disconnect();
      break;
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
  process.exit(0);
}

main().catch(fail);
