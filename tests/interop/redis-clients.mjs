// Named socket.io-client instances, each connected to the server of its choice, driven by JSON commands on stdin.
// Every outcome and every received event is printed as one JSON line. Used by the Redis adapter tests.
// usage: node redis-clients.mjs
import { io } from "socket.io-client";
import { emit, fail, command } from "./lib.mjs";
import { toWire, fromWire } from "./redis-lib.mjs";

const clients = new Map();

async function run(cmd) {
  switch (cmd.op) {
    case "connect": {
      const socket = io(cmd.url + (cmd.nsp ?? "/").replace(/^\//, ""), {
        forceNew: true,
        reconnection: false,
        transports: ["websocket"],
        query: cmd.query ?? {},
        auth: cmd.auth ?? {},
      });
      clients.set(cmd.name, socket);
      socket.onAny((type, ...args) => {
        // A server emit with an acknowledgement: answer with who got what.
        if (typeof args[args.length - 1] === "function") {
          const callback = args.pop();
          callback({ from: cmd.name, got: toWire(args[0]) });
        }
        emit("received", { name: cmd.name, type, args: toWire(args) });
      });
      socket.on("disconnect", (reason) => emit("disconnect", { name: cmd.name, reason }));
      socket.on("connect_error", (err) => emit("connect_error", { name: cmd.name, message: err.message }));
      socket.on("connect", () => emit("connected", { name: cmd.name, id: socket.id, ref: cmd.ref }));
      break;
    }
    case "emit": {
      const socket = clients.get(cmd.name);
      const result = await socket.timeout(cmd.timeout ?? 10000).emitWithAck(cmd.event, ...fromWire(cmd.args ?? []));
      emit("ack", { name: cmd.name, ref: cmd.ref, result: toWire(result) });
      break;
    }
    case "disconnect":
      clients.get(cmd.name).disconnect();
      break;
    case "exit":
      for (const socket of clients.values()) socket.disconnect();
      process.exit(0);
      break;
    default:
      throw new Error(`unknown op ${cmd.op}`);
  }
}

emit("ready");
for (;;) {
  const cmd = JSON.parse(await command());
  run(cmd).catch(fail);
}
