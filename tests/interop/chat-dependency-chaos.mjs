// Steady chat load while the chat's dependencies fail (an instance killed, Redis or PostgreSQL restarted): observers in
// rooms keep what they display as the web client does, publishers retry every message with its message_id until it
// is acknowledged. Every request's answer is recorded (ok, error code, dropped with the connection, or no answer at
// all within the ack timeout), and every client's disconnections. Driven by JSON lines on stdin, reporting JSON lines.
// usage: node chat-dependency-chaos.mjs '<config json>'
//   config: { urls: [...], observers, publishers, rooms: ["chat", ...], ackTimeoutMs, seed }
// commands: {"op":"urls","urls":[...]}   the instances' addresses changed (one was replaced)
//           {"op":"connected","ref","since","backAt","timeoutMs"}   once every client is connected (or at the timeout):
//               the disconnections that ended after `since` (epoch ms) and how long after `backAt` the last one ended
//           {"op":"reopen","count"}   that many observers close their connection and open a new one (a page reload):
//               not recovered, they join their rooms and sync them again
//           {"op":"stop"}   publishers finish their current message and stop; observers catch up with the database
//           {"op":"check","truth":{room: [[seq, id], ...]}}   compare what every observer displays with the database
// events:   ready, started, connected {...}, reopened {names},
//           stopped {acked: [[message_id, id, room, seq, ackedAt], ...], outcomes, failures, ...}, checked {ok, problems, checked}
import { randomUUID } from "node:crypto";
import { emit, fail, command } from "./lib.mjs";
import { RoomView, connectRotating, seededRandom, sleep, token as login, waitFor } from "./chat-lib.mjs";

const config = JSON.parse(process.argv[2]);
let urls = config.urls;
const defaultRoom = config.rooms[0];
const pageSize = 100;

const { between } = seededRandom(config.seed);
const token = (name) => login(() => urls, name);

// ---- clients: a socket that goes to the next instance at every reconnection attempt, with its disconnections ----

const clients = [];

function connect(name, jwt, index) {
  const client = connectRotating(() => urls, { name, index, socket: null, disconnects: 0, episodes: [] }, jwt);
  client.socket.on("disconnect", (reason) => {
    client.disconnects++;
    client.episodes.push({ down: Date.now(), up: null, reason });
  });
  client.socket.on("connect", () => {
    const open = client.episodes.at(-1);
    if (open && open.up === null) open.up = Date.now();
  });
  clients.push(client);
  return client;
}

// ---- requests: every answer recorded ----

/** outcomes[event][kind]: kind is "ok", an error code, "dropped" (the connection went first) or "timeout". */
const outcomes = {};
const failures = [];

async function call(client, event, payload) {
  const socket = client.socket;
  const disconnects = client.disconnects;
  const at = Date.now();
  let result;
  try {
    const answer = await socket.timeout(config.ackTimeoutMs).emitWithAck(event, payload);
    result = answer && answer.error ? { kind: answer.error.code, message: answer.error.message } : { kind: "ok", answer };
  } catch {
    // No answer: either the connection was lost (the ack cannot come) or the server stayed silent while connected.
    result = { kind: client.disconnects !== disconnects || !socket.connected ? "dropped" : "timeout" };
  }
  outcomes[event] ??= {};
  outcomes[event][result.kind] = (outcomes[event][result.kind] ?? 0) + 1;
  if (result.kind !== "ok" && failures.length < 1000) {
    failures.push({ event, client: client.name, at, answeredAt: Date.now(), kind: result.kind, message: result.message });
  }
  return result;
}

// ---- observers: what each one displays, per room, by id (de-duplicated) ----

const stats = { live: 0, liveDuplicates: 0, synced: 0, recovered: 0, notRecovered: 0 };

function observer(name, jwt, index, rooms) {
  const o = connect(name, jwt, index);
  Object.assign(o, { rooms, views: new Map(rooms.map((room) => [room, new RoomView()])), connects: 0, needsSync: true });
  const socket = o.socket;
  const live = new Set();
  let generation = 0;

  socket.on("new_message", (record) => {
    // The same message delivered twice over the socket (a replay and a live copy) would be a delivery bug.
    if (live.has(record.id)) stats.liveDuplicates++;
    live.add(record.id);
    stats.live++;
    o.views.get(record.room)?.add(record);
    watchHoles(record.room);
  });
  socket.on("disconnect", () => generation++);
  socket.on("connect", () => {
    const current = ++generation;
    if (o.connects++ > 0) {
      if (socket.recovered) stats.recovered++;
      else stats.notRecovered++;
    }
    if (!socket.recovered) o.needsSync = true;
    if (o.needsSync) void catchUp(current);
  });

  /** Joins the rooms again and syncs each after what is displayed; an error answer is retried, a disconnect ends it. */
  async function catchUp(current) {
    while (current === generation) {
      if (await catchUpOnce(current)) {
        if (current === generation) o.needsSync = false;
        return;
      }
      await sleep(300);
    }
  }

  async function catchUpOnce(current) {
    for (const room of rooms) {
      if (current !== generation || (await call(o, "join_room", { room })).kind !== "ok") return false;
    }
    for (const room of rooms) {
      if (!(await syncRoom(room, () => current === generation))) return false;
    }
    return true;
  }

  /** Pages through a room's messages after what is displayed; true once a short page says nothing is left. */
  async function syncRoom(room, valid) {
    const view = o.views.get(room);
    let after = view.contiguous();
    for (;;) {
      if (!valid()) return false;
      const page = await call(o, "sync", { room, after, limit: pageSize });
      if (page.kind !== "ok") return false;
      for (const record of page.answer.messages) {
        if (view.add(record)) stats.synced++;
      }
      if (page.answer.messages.length < pageSize) return true;
      after = page.answer.messages.at(-1).seq;
    }
  }
  o.syncRoom = syncRoom;

  // A hole that stays open longer than messages take to arrive is a message whose broadcast did not reach this
  // instance (Redis was down, or its instance died between storing and broadcasting): a sync fills it.
  const watched = new Set();
  function watchHoles(room) {
    const view = o.views.get(room);
    if (watched.has(room) || view.max() === view.contiguous()) return;
    watched.add(room);
    setTimeout(async () => {
      if (socket.connected && !o.needsSync && view.max() !== view.contiguous()) {
        await syncRoom(room, () => socket.connected);
      }
      watched.delete(room);
      watchHoles(room);
    }, 1000);
  }

  o.ready = () => socket.connected && !o.needsSync;
  return o;
}

// ---- publishers: every message retried with its message_id until acknowledged, as the web client's outbox ----

/** message_id → the acknowledged record; a second, different record for the same message_id is a duplicate. */
const acked = new Map();
const conflictingAcks = [];
let stopping = false;

function publisher(name, jwt, index) {
  const p = connect(name, jwt, index);
  p.joined = false;
  p.socket.on("disconnect", () => (p.joined = false));
  p.socket.on("connect", async () => {
    const disconnects = p.disconnects;
    for (const room of config.rooms) {
      while ((await call(p, "join_room", { room })).kind !== "ok") {
        if (p.disconnects !== disconnects) return;
        await sleep(200);
      }
    }
    if (p.disconnects === disconnects) p.joined = true;
  });
  return p;
}

async function publish(p) {
  let n = 0;
  while (!stopping) {
    const message = { text: `${p.name} #${n++}`, room: config.rooms[between(0, config.rooms.length)], message_id: randomUUID() };
    for (;;) {
      if (!p.socket.connected || !p.joined) {
        await sleep(20);
        continue;
      }
      const result = await call(p, "chat_message", message);
      if (result.kind === "ok") {
        const record = result.answer;
        const earlier = acked.get(message.message_id);
        if (earlier && earlier.id !== record.id) conflictingAcks.push([message.message_id, earlier.id, record.id]);
        if (record.message_id !== message.message_id || record.room !== message.room) conflictingAcks.push([message.message_id, record.message_id, record.room]);
        acked.set(message.message_id, { ...record, ackedAt: Date.now() });
        break;
      }
      // An error answer or a lost connection: the same message_id again, a little later.
      await sleep(100);
    }
    await sleep(between(40, 120));
  }
}

// ---- the run ----

const observers = [];
const publishers = [];

async function run() {
  for (let i = 0; i < config.observers; i++) {
    const name = `observer${i}`;
    // Every observer is in the default room and one or two others.
    const rooms = [defaultRoom, ...config.rooms.slice(1).filter((_, r) => (i + r) % 3 !== 0)];
    observers.push(observer(name, await token(name), i, rooms));
  }
  for (let i = 0; i < config.publishers; i++) {
    const name = `publisher${i}`;
    publishers.push(publisher(name, await token(name), i));
  }
  if (!(await waitFor(() => observers.every((o) => o.ready()) && publishers.every((p) => p.socket.connected && p.joined), 20000))) {
    throw new Error("the clients did not all connect");
  }

  emit("started", { clients: clients.length });
  const load = Promise.all(publishers.map(publish));
  const progress = setInterval(() => emit("progress", { acked: acked.size, connected: clients.filter((c) => c.socket.connected).length, outcomes }), 5000);

  await nextCommand("stop");
  stopping = true;
  await load;
  clearInterval(progress);

  // Caught up: every observer syncs each of its rooms (what it would do when opened) up to the last acknowledged seq.
  const last = new Map();
  for (const record of acked.values()) last.set(record.room, Math.max(last.get(record.room) ?? 0, record.seq));
  const caughtUp = (o) => o.ready() && o.rooms.every((room) => o.views.get(room).contiguous() >= (last.get(room) ?? 0));
  const deadline = Date.now() + 20000;
  await Promise.all(
    observers.map(async (o) => {
      while (!caughtUp(o) && Date.now() < deadline) {
        if (o.ready()) for (const room of o.rooms) await o.syncRoom(room, () => o.socket.connected);
        if (!caughtUp(o)) await sleep(200);
      }
    }),
  );
  emit("stopped", {
    acked: [...acked.values()].map((r) => [r.message_id, r.id, r.room, r.seq, r.ackedAt]),
    conflictingAcks,
    behind: observers.filter((o) => !caughtUp(o)).map((o) => o.name),
    outcomes,
    failures,
    stats,
  });

  const cmd = await nextCommand("check");
  const problems = [];
  let checked = 0;
  for (const o of observers) {
    for (const room of o.rooms) {
      const expected = cmd.truth[room] ?? [];
      const view = o.views.get(room);
      checked += view.bySeq.size;
      const missing = expected.filter(([seq, id]) => view.bySeq.get(seq) !== id).map(([seq]) => seq);
      const extra = [...view.bySeq.keys()].filter((seq) => seq > expected.length || seq < 1);
      if (missing.length || extra.length || view.conflicts.length || view.bySeq.size !== expected.length) {
        problems.push({ observer: o.name, room, expected: expected.length, shown: view.bySeq.size, missing: missing.slice(0, 20), extra: extra.slice(0, 20), conflicts: view.conflicts.slice(0, 5) });
      }
    }
  }
  emit("checked", { ok: problems.length === 0, problems, checked });
  for (const client of clients) client.socket.disconnect();
}

/** Once every client is connected (or at the timeout): the disconnections that ended after `since` or are still open. */
async function connectedSince(cmd) {
  await waitFor(() => clients.every((c) => c.socket.connected), cmd.timeoutMs);
  const episodes = clients.flatMap((c) => c.episodes.filter((e) => (e.up ?? Infinity) >= cmd.since).map((e) => ({ name: c.name, ...e })));
  const open = clients.filter((c) => !c.socket.connected).map((c) => c.name);
  const lastUp = Math.max(cmd.backAt, ...episodes.map((e) => e.up ?? Infinity));
  emit("connected", {
    ref: cmd.ref,
    disconnections: episodes.length,
    clientsDisconnected: new Set(episodes.map((e) => e.name)).size,
    open,
    reconnectMs: open.length ? null : lastUp - cmd.backAt,
    longestMs: episodes.reduce((longest, e) => Math.max(longest, (e.up ?? Date.now()) - e.down), 0),
  });
}

/** Some observers, spread over the instances, open a new connection: they must join and sync while it happens. */
function reopen(cmd) {
  const chosen = observers.slice(0, cmd.count);
  for (const o of chosen) {
    o.socket.disconnect();
    o.socket.connect();
  }
  emit("reopened", { names: chosen.map((o) => o.name) });
}

// Commands arrive at any time; "urls", "connected" and "reopen" are handled at once, others are kept until awaited by name.
const waiting = new Map();
const early = new Map();
function nextCommand(op) {
  if (early.has(op)) {
    const cmd = early.get(op);
    early.delete(op);
    return Promise.resolve(cmd);
  }
  return new Promise((resolve) => waiting.set(op, resolve));
}
(async () => {
  for (;;) {
    const cmd = JSON.parse(await command());
    if (cmd.op === "urls") {
      urls = cmd.urls;
      emit("urls", { urls });
    } else if (cmd.op === "reopen") {
      reopen(cmd);
    } else if (cmd.op === "connected") {
      void connectedSince(cmd).catch(fail);
    } else if (waiting.has(cmd.op)) {
      const resolve = waiting.get(cmd.op);
      waiting.delete(cmd.op);
      resolve(cmd);
    } else if (cmd.op === "exit") {
      process.exit(0);
    } else {
      early.set(cmd.op, cmd);
    }
  }
})().catch(fail);

emit("ready");
run().catch(fail);
