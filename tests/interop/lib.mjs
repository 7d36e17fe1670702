// Shared helpers for the interop scripts: one JSON object per stdout line, commands from stdin.
import { createInterface } from "node:readline";

export function emit(event, fields = {}) {
  process.stdout.write(JSON.stringify({ event, ...fields }) + "\n");
}

export function fail(error) {
  emit("error", { message: String(error && error.stack ? error.stack : error) });
  process.exit(1);
}

process.on("unhandledRejection", fail);
process.on("uncaughtException", fail);

const lines = createInterface({ input: process.stdin });
const waiting = [];
const queued = [];
lines.on("line", (line) => {
  const next = waiting.shift();
  if (next) next(line);
  else queued.push(line);
});

/** Resolves with the next command the test writes on stdin. */
export function command() {
  return queued.length ? Promise.resolve(queued.shift()) : new Promise((resolve) => waiting.push(resolve));
}

export function once(emitter, name, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for '${name}'`)), timeoutMs);
    emitter.once(name, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/** Deterministic bytes of the given length. */
export function bytes(length, seed = 7) {
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i++) data[i] = (i * 31 + seed) & 0xff;
  return data;
}

/** Text of the given length in UTF-16 units: mostly ASCII with some multi-byte characters (about 1% more in UTF-8). */
export function text(length) {
  const block = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(3) + "é€😀";
  return block.repeat(Math.ceil(length / block.length)).slice(0, length);
}
