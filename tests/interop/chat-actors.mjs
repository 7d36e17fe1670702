// Named socket.io-client instances driven by JSON commands on stdin; every outcome and every received event is
// printed as one JSON line. Used by the chat service's integration tests.
// usage: node chat-actors.mjs <url>   (a "connect" command may name another url, and a localAddress to connect from;
// with "urls", every reconnection attempt goes to the next one, as a client with a list of servers would do)
import { io } from "socket.io-client";
import { emit, fail, command } from "./lib.mjs";

const [url] = process.argv.slice(2);
const clients = new Map();

function attach(name, socket) {
  socket.onAny((type, ...args) => emit("received", { name, type, args }));
  socket.on("disconnect", (reason) => emit("disconnect", { name, reason }));
  socket.on("connect", () => emit("connected", { name, id: socket.id, recovered: socket.recovered ?? false }));
  socket.on("connect_error", (err) => emit("connect_error", { name, message: err.message, data: err.data ?? null }));
}

async function run(cmd) {
  switch (cmd.op) {
    case "connect": {
      const socket = io(cmd.url ?? cmd.urls?.[0] ?? url, {
        forceNew: true,
        reconnection: cmd.reconnection ?? false,
        reconnectionDelay: 100,
        reconnectionDelayMax: 300,
        transports: cmd.transports ?? ["websocket"],
        auth: cmd.token === undefined ? {} : { token: cmd.token },
        extraHeaders: cmd.headers ?? {},
        query: cmd.query ?? {},
        ...(cmd.localAddress ? { localAddress: cmd.localAddress } : {}),
      });
      clients.set(cmd.name, socket);
      attach(cmd.name, socket);
      if (cmd.urls) {
        let next = 0;
        socket.io.on("reconnect_attempt", () => {
          next = (next + 1) % cmd.urls.length;
          socket.io.uri = cmd.urls[next];
        });
      }
      break;
    }
    case "reconnect": {
      // A client whose automatic reconnection is off connects again, to another server when "url" is given; it
      // presents its private session id and last offset as any reconnection does.
      const socket = clients.get(cmd.name);
      if (cmd.url) socket.io.uri = cmd.url;
      socket.connect();
      break;
    }
    case "emit": {
      const socket = clients.get(cmd.name);
      if (cmd.ack) {
        try {
          const result = await socket.timeout(cmd.timeout ?? 10000).emitWithAck(cmd.event, ...cmd.args);
          emit("ack", { name: cmd.name, ref: cmd.ref, result });
        } catch (err) {
          emit("ack", { name: cmd.name, ref: cmd.ref, timeout: true, message: err.message });
        }
      } else {
        socket.emit(cmd.event, ...cmd.args);
        emit("sent", { name: cmd.name, ref: cmd.ref });
      }
      break;
    }
    case "disconnect":
      clients.get(cmd.name).disconnect();
      break;
    case "kill-transport":
      // As a network hand-off does: the connection dies without a goodbye; the client reconnects by itself.
      clients.get(cmd.name).io.engine.close();
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
  const line = await command();
  const cmd = JSON.parse(line);
  // Commands run concurrently; the test orders what it needs by waiting for outcomes.
  run(cmd).catch(fail);
}
