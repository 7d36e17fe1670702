// A Node socket.io 4.8 server on @socket.io/redis-adapter 8.3 (ioredis), the same test app as
// tests/Sockeye.Redis.TestNode: it joins a cluster with Sockeye servers. Prints {"event":"listening","port":N} once
// subscribed, then runs the JSON commands read on stdin (answered by "result" lines with the same "ref").
// usage: node redis-node-server.mjs <name> <redis port> [requests timeout ms] [sharded]
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import { emit, fail, command } from "./lib.mjs";
import { toWire, fromWire } from "./redis-lib.mjs";

const [name, redisPort, requestsTimeout, mode] = process.argv.slice(2);
const pub = new Redis({ host: "127.0.0.1", port: Number(redisPort), lazyConnect: true });
const sub = pub.duplicate();
await Promise.all([pub.connect(), sub.connect()]);
pub.on("error", () => {});
sub.on("error", () => {});

const http = createServer();
const adapter = mode === "sharded"
  ? createShardedAdapter(pub, sub)
  : createAdapter(pub, sub, { requestsTimeout: Number(requestsTimeout ?? 5000) });
const io = new Server(http, { adapter });

for (const nsp of [io.of("/"), io.of("/other")]) {
  nsp.on("connection", (socket) => {
    socket.data.node = name;
    if (socket.handshake.query.user) socket.data.user = socket.handshake.query.user;
    socket.on("join", (room, callback) => {
      socket.join(room);
      callback([...socket.rooms].sort());
    });
    socket.on("echo", (...args) => args.pop()(...args));
    socket.on("publish", (room, event, ...rest) => {
      const callback = rest.pop();
      socket.to(room).emit(event, ...rest);
      callback("ok");
    });
  });
  for (const event of ["hello", "ask"]) {
    nsp.on(event, (...args) => {
      const callback = typeof args[args.length - 1] === "function" ? args.pop() : null;
      emit("server-side", { nsp: nsp.name, name: event, args: toWire(args), hasAck: callback !== null });
      if (callback) callback({ node: name, got: args[0] ?? null });
    });
  }
}

// Subscriptions go out in order on the subscriber connection: once this one is confirmed, the adapter's are too.
if (mode === "sharded") await sub.ssubscribe("sockeye-test-ready");
else await sub.subscribe("sockeye-test-ready");
await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
emit("listening", { port: http.address().port });

async function run(cmd) {
  const nsp = io.of(cmd.nsp ?? "/");
  let target = nsp.to(cmd.rooms ?? []).except(cmd.except ?? []);
  if (cmd.local) target = target.local;
  const args = fromWire(cmd.args ?? []);
  const result = { ref: cmd.ref };
  try {
    switch (cmd.op) {
      case "emit":
        target.emit(cmd.name, ...args);
        await pub.ping(); // the publish went out before this answer
        break;
      case "emitWithAck":
        result.responses = toWire((await target.timeout(cmd.timeout ?? 5000).emitWithAck(cmd.name, ...args)).map((r) => [r]));
        break;
      case "fetch":
        result.sockets = (await target.fetchSockets()).map((s) => ({
          id: s.id,
          rooms: [...s.rooms].sort(),
          data: s.data,
          local: nsp.sockets.has(s.id),
          user: s.handshake.query.user ?? null,
          auth: s.handshake.auth ?? null,
          url: s.handshake.url,
        }));
        break;
      case "socketsJoin":
        target.socketsJoin(cmd.join);
        await pub.ping();
        break;
      case "socketsLeave":
        target.socketsLeave(cmd.leave);
        await pub.ping();
        break;
      case "disconnectSockets":
        target.disconnectSockets(cmd.close === true);
        await pub.ping();
        break;
      case "serverSideEmit":
        nsp.serverSideEmit(cmd.name, ...args);
        await pub.ping();
        break;
      case "serverSideEmitWithAck":
        result.responses = toWire((await nsp.serverSideEmitWithAck(cmd.name, ...args)).map((r) => [r]));
        break;
      case "allRooms":
        result.rooms = [...(await nsp.adapter.allRooms())].sort();
        break;
      case "serverCount":
        result.count = await nsp.adapter.serverCount();
        break;
      default:
        throw new Error(`unknown op ${cmd.op}`);
    }
  } catch (err) {
    result.error = err.constructor.name;
    result.message = err.message;
  }
  emit("result", result);
}

for (;;) {
  const line = await command();
  const cmd = JSON.parse(line);
  if (cmd.op === "exit") break;
  run(cmd).catch(fail);
}
io.close();
pub.disconnect();
sub.disconnect();
process.exit(0);
