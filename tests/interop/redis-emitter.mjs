// @socket.io/redis-emitter 5.1 driven by JSON commands on stdin; each answered by a "result" line with its "ref"
// once the message is published.
// usage: node redis-emitter.mjs <redis port>
import { Emitter } from "@socket.io/redis-emitter";
import { Redis } from "ioredis";
import { emit, fail, command } from "./lib.mjs";
import { fromWire } from "./redis-lib.mjs";

const [redisPort] = process.argv.slice(2);
const redis = new Redis({ host: "127.0.0.1", port: Number(redisPort) });
const emitter = new Emitter(redis);
emit("ready");

for (;;) {
  const cmd = JSON.parse(await command());
  if (cmd.op === "exit") break;
  try {
    const nsp = emitter.of(cmd.nsp ?? "/");
    let target = nsp;
    for (const room of cmd.rooms ?? []) target = target.to(room);
    for (const room of cmd.except ?? []) target = target.except(room);
    const args = fromWire(cmd.args ?? []);
    switch (cmd.op) {
      case "emit":
        target.emit(cmd.name, ...args);
        break;
      case "socketsJoin":
        target.socketsJoin(cmd.join);
        break;
      case "socketsLeave":
        target.socketsLeave(cmd.leave);
        break;
      case "disconnectSockets":
        target.disconnectSockets(cmd.close === true);
        break;
      case "serverSideEmit":
        nsp.serverSideEmit(cmd.name, ...args);
        break;
      default:
        throw new Error(`unknown op ${cmd.op}`);
    }
    await redis.ping(); // commands run in order: the publish is done
    emit("result", { ref: cmd.ref });
  } catch (err) {
    fail(err);
  }
}
redis.disconnect();
process.exit(0);
