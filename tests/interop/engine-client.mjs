// Drives a Sockeye Engine.IO echo endpoint with the official engine.io-client.
// usage: node engine-client.mjs <scenario> <url> [options]
import { Socket } from "engine.io-client";
import { emit, fail, once, bytes, text, command } from "./lib.mjs";

const [scenario, url, arg] = process.argv.slice(2);

function open(transports, extra = {}) {
  const socket = new Socket(url, { transports, path: "/engine.io/", ...extra });
  return socket;
}

async function echo(socket, payload) {
  const reply = once(socket, "message", 20000);
  socket.send(payload);
  const [data] = await reply;
  return data;
}

function same(a, b) {
  if (typeof a === "string" || typeof b === "string") return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}

async function echoSizes(socket, sizes, binarySizes) {
  let checked = 0;
  for (const size of sizes) {
    const payload = text(size);
    if (!same(await echo(socket, payload), payload)) throw new Error(`text echo of ${size} chars differs`);
    checked++;
  }
  for (const size of binarySizes) {
    const payload = bytes(size);
    const back = await echo(socket, payload);
    if (typeof back === "string" || !same(back, payload)) throw new Error(`binary echo of ${size} bytes differs`);
    checked++;
  }
  return checked;
}

async function main() {
  switch (scenario) {
    case "echo": {
      // arg: transports, comma separated ("polling", "websocket", "polling,websocket")
      const transports = arg.split(",");
      const socket = open(transports);
      await once(socket, "open");
      const initial = socket.transport.name;
      if (transports.length > 1) {
        await once(socket, "upgrade");
      }
      const binaryMax = socket.transport.name === "polling" ? 700000 : 900000;
      const checked = await echoSizes(socket, [1, 100, 10000, 100000, 900000], [1, 1000, 100000, binaryMax]);
      emit("done", { initial, final: socket.transport.name, checked, sid: socket.id });
      socket.close();
      break;
    }
    case "many": {
      const count = Number(arg);
      const sockets = Array.from({ length: count }, (_, i) => open(i % 2 ? ["websocket"] : ["polling", "websocket"]));
      const results = await Promise.all(
        sockets.map(async (socket, i) => {
          await once(socket, "open", 20000);
          const payload = `client ${i}`;
          const back = await echo(socket, payload);
          return back === payload;
        }),
      );
      emit("done", { ok: results.filter(Boolean).length, ids: new Set(sockets.map((s) => s.id)).size });
      sockets.forEach((s) => s.close());
      break;
    }
    case "server-close": {
      const socket = open(arg.split(","));
      await once(socket, "open");
      const closed = once(socket, "close", 10000);
      socket.send("close-me");
      const [reason] = await closed;
      emit("done", { reason });
      break;
    }
    case "reconnect": {
      const connect = () =>
        new Promise((resolve) => {
          const socket = open(["websocket"]);
          socket.once("open", () => resolve(socket));
          socket.once("error", () => setTimeout(() => resolve(connect()), 100));
        });
      const first = await connect();
      emit("connected", { sid: first.id });
      const [reason] = await once(first, "close", 30000);
      emit("disconnected", { reason });
      await command(); // the test says when the new server is up
      const second = await connect();
      const back = await echo(second, "after restart");
      emit("reconnected", { sid: second.id, echo: back });
      second.close();
      break;
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
  process.exit(0);
}

main().catch(fail);
