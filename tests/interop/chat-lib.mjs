// Shared pieces of the chat chaos drivers: a seeded random source, waiting, tokens from whichever instance answers, a
// client that moves between instances, and what an observer displays of a room.
import { io } from "socket.io-client";

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small deterministic generator, so that a failing run can be replayed with its seed. */
export function seededRandom(seed) {
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  return { random, between: (min, max) => min + Math.floor(random() * (max - min)) };
}

/** Resolves true once the condition holds, false at the timeout. */
export async function waitFor(condition, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/**
 * Opens `client.socket` (client: { name, index, ... }) on the instance at `index`; every reconnection attempt moves it
 * to the next of the current addresses (`urls()`), as a client given a list of servers.
 */
export function connectRotating(urls, client, jwt) {
  const at = (index) => urls()[index % urls().length];
  client.socket = io(at(client.index), {
    forceNew: true,
    transports: ["websocket"],
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    auth: { token: jwt },
  });
  client.socket.io.on("reconnect_attempt", () => {
    client.index++;
    client.socket.io.uri = at(client.index);
  });
  return client;
}

/** A token from the development login of whichever instance answers; `urls()` gives the current addresses. */
export async function token(urls, name) {
  for (let attempt = 0; ; attempt++) {
    const list = urls();
    try {
      const response = await fetch(new URL("/api/auth/token", list[attempt % list.length]), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: name }),
      });
      if (response.ok) return (await response.json()).token;
    } catch {
      // The instance may be down: try the next.
    }
    await sleep(200);
  }
}

/** What an observer displays of one room: messages by id (de-duplicated), placed by seq. */
export class RoomView {
  constructor() {
    this.bySeq = new Map();
    this.ids = new Set();
    this.conflicts = [];
  }
  add(record) {
    if (this.ids.has(record.id)) return false;
    const other = this.bySeq.get(record.seq);
    if (other !== undefined && other !== record.id) this.conflicts.push([record.seq, other, record.id]);
    this.ids.add(record.id);
    this.bySeq.set(record.seq, record.id);
    return true;
  }
  /** The highest seq below which nothing is missing: a sync starts after it. */
  contiguous() {
    let seq = 0;
    while (this.bySeq.has(seq + 1)) seq++;
    return seq;
  }
  max() {
    let max = 0;
    for (const seq of this.bySeq.keys()) max = Math.max(max, seq);
    return max;
  }
}
