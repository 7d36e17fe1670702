// A chaos run against chat instances: observers whose connections are cut at random moments while publishers send,
// each observer keeping what it displays as the web client does. Driven by JSON lines on stdin, reporting JSON lines.
// usage: node chat-chaos.mjs '<config json>'
//   config: { urls: [...], observers, publishers, rooms: ["chat", ...], durationMs, windowMs, seed }
// commands: {"op":"urls","urls":[...]}   the instances' addresses changed (one was restarted on another port)
//           {"op":"check","truth":{room: [[seq, id], ...]}}   compare what every observer displays with the database
// events:   ready, started, progress, finished {acked, stats}, checked {ok, problems, stats}
import { randomUUID } from "node:crypto";
import { emit, fail, command } from "./lib.mjs";
import { RoomView, connectRotating, seededRandom, sleep, token as login, waitFor } from "./chat-lib.mjs";

const config = JSON.parse(process.argv[2]);
let urls = config.urls;
const defaultRoom = config.rooms[0];
const pageSize = 100;

const { random, between } = seededRandom(config.seed);
const token = (name) => login(() => urls, name);

const stats = { disconnects: 0, transportKills: 0, longAbsences: 0, recovered: 0, notRecovered: 0, synced: 0, liveDuplicates: 0, holesFilled: [] };

/** A socket that goes to the next instance at every reconnection attempt, as a client with a list of servers. */
function connect(name, jwt, index) {
  return connectRotating(() => urls, { name, index, socket: null }, jwt);
}

async function request(socket, event, payload, timeoutMs = 5000) {
  const answer = await socket.timeout(timeoutMs).emitWithAck(event, payload);
  if (answer && answer.error) throw new Error(`${event}: ${answer.error.code} ${answer.error.message}`);
  return answer;
}

// ---- observers: what each one displays, per room, by id (de-duplicated) and ordered by seq at the end ----

function observer(name, jwt, index, rooms) {
  const client = connect(name, jwt, index);
  const views = new Map(rooms.map((room) => [room, new RoomView()]));
  const live = new Map();
  const o = { ...client, rooms, views, connects: 0, needsSync: true, syncing: false, offline: false };
  const socket = client.socket;
  let generation = 0;

  let connectedAt = 0;
  socket.on("new_message", (record, offset) => {
    // The same message delivered twice over the socket (a replay and a live copy) would be a recovery bug.
    if (live.has(record.id)) {
      stats.liveDuplicates++;
      emit("duplicate", { name, id: record.id, room: record.room, seq: record.seq, first: live.get(record.id), again: offset, sinceConnectMs: Date.now() - connectedAt, connects: o.connects, recovered: socket.recovered });
    }
    live.set(record.id, offset);
    views.get(record.room)?.add(record);
    watchHoles(record.room);
  });
  socket.on("disconnect", () => {
    generation++;
    stats.disconnects++;
  });
  socket.on("connect", () => {
    connectedAt = Date.now();
    const current = ++generation;
    if (o.connects++ > 0) {
      if (socket.recovered) stats.recovered++;
      else stats.notRecovered++;
    }
    // Recovered: the server replayed what was missed and kept the rooms. Otherwise (or if an earlier catch-up was cut
    // short) join the rooms again and sync each one after what is displayed.
    if (!socket.recovered) o.needsSync = true;
    if (o.needsSync) void catchUp(current);
  });

  async function catchUp(current) {
    o.syncing = true;
    try {
      for (const room of rooms) {
        if (current !== generation) return;
        await request(socket, "join_room", { room });
      }
      for (const room of rooms) {
        const view = views.get(room);
        let after = view.contiguous();
        for (;;) {
          if (current !== generation) return;
          const page = await request(socket, "sync", { room, after, limit: pageSize });
          for (const record of page.messages) view.add(record);
          stats.synced += page.messages.length;
          if (page.messages.length < pageSize) break;
          after = page.messages[page.messages.length - 1].seq;
        }
      }
      if (current === generation) o.needsSync = false;
    } catch {
      // Cut short by a disconnect: the next connect catches up again.
    } finally {
      if (current === generation) o.syncing = false;
    }
  }

  // Sequences have no gaps: a hole that stays open longer than messages take to arrive is a message that was stored
  // but never broadcast (its instance died in between), and a sync fills it.
  const watched = new Set();
  function watchHoles(room) {
    const view = views.get(room);
    if (!view || watched.has(room) || view.max() === view.contiguous()) return;
    watched.add(room);
    setTimeout(async () => {
      watched.delete(room);
      const before = view.contiguous();
      if (!socket.connected || o.needsSync || view.max() === before) return;
      try {
        const page = await request(socket, "sync", { room, after: before, limit: pageSize });
        for (const record of page.messages) {
          if (view.add(record) && record.seq < view.max()) {
            stats.holesFilled.push([room, record.seq]);
          }
        }
      } catch {
        // Disconnected: the next connect catches up.
      }
      watchHoles(room);
    }, 2000);
  }

  o.ready = () => socket.connected && !o.needsSync;
  return o;
}

/** Cuts an observer's connection at random moments: mostly a dead transport, sometimes an absence beyond the window. */
async function chaos(o, until) {
  while (Date.now() < until) {
    await sleep(between(800, 3500));
    if (Date.now() >= until) break;
    if (!o.socket.connected) continue;
    if (random() < 0.8) {
      stats.transportKills++;
      o.socket.io.engine.close();
    } else {
      stats.longAbsences++;
      o.offline = true;
      o.socket.io.reconnection(false);
      o.socket.io.engine.close();
      await sleep(config.windowMs + between(500, 1500));
      o.socket.io.reconnection(true);
      o.index++;
      o.socket.io.uri = urls[o.index % urls.length];
      o.socket.connect();
      o.offline = false;
    }
  }
}

// ---- publishers: every message retried with its message_id until acknowledged, as the web client's outbox ----

const acked = new Map();

async function publisher(p, until) {
  let n = 0;
  while (Date.now() < until) {
    const message = { text: `${p.name} #${n++}`, room: config.rooms[between(0, config.rooms.length)], message_id: randomUUID() };
    for (;;) {
      if (!p.socket.connected) {
        await sleep(50);
        continue;
      }
      try {
        const record = await request(p.socket, "chat_message", message, 3000);
        acked.set(record.id, record);
        break;
      } catch {
        await sleep(100);
      }
    }
    await sleep(between(30, 120));
  }
}

async function run() {
  const observers = [];
  for (let i = 0; i < config.observers; i++) {
    const name = `observer${i}`;
    // Every observer is in the default room and one or two others.
    const rooms = [defaultRoom, ...config.rooms.slice(1).filter((_, r) => (i + r) % 3 !== 0)];
    observers.push(observer(name, await token(name), i, rooms));
  }
  const publishers = [];
  for (let i = 0; i < config.publishers; i++) {
    const name = `publisher${i}`;
    const p = connect(name, await token(name), i);
    p.socket.on("connect", () => {
      for (const room of config.rooms) p.socket.emit("join_room", { room });
    });
    publishers.push(p);
  }
  if (!(await waitFor(() => observers.every((o) => o.ready()) && publishers.every((p) => p.socket.connected), 20000))) {
    throw new Error("the clients did not all connect");
  }

  const until = Date.now() + config.durationMs;
  emit("started", { durationMs: config.durationMs });
  const progress = setInterval(() => emit("progress", { acked: acked.size, ...stats, holesFilled: stats.holesFilled.length }), 5000);
  await Promise.all([...observers.map((o) => chaos(o, until)), ...publishers.map((p) => publisher(p, until))]);
  clearInterval(progress);

  // Caught up: every observer shows, in each of its rooms, up to the last acknowledged seq.
  const last = new Map();
  for (const record of acked.values()) last.set(record.room, Math.max(last.get(record.room) ?? 0, record.seq));
  const caughtUp = (o) => o.ready() && o.rooms.every((room) => o.views.get(room).contiguous() >= (last.get(room) ?? 0));
  await waitFor(() => observers.every(caughtUp), 20000);
  emit("finished", { acked: acked.size, behind: observers.filter((o) => !caughtUp(o)).map((o) => o.name), stats });

  const cmd = await nextCommand("check");
  const problems = [];
  let checked = 0;
  for (const o of observers) {
    for (const room of o.rooms) {
      const expected = cmd.truth[room] ?? [];
      const view = o.views.get(room);
      const shown = [...view.bySeq.entries()].sort((a, b) => a[0] - b[0]);
      checked += shown.length;
      const missing = expected.filter(([seq, id]) => view.bySeq.get(seq) !== id).map(([seq]) => seq);
      const extra = shown.filter(([seq]) => seq > expected.length || seq < 1).map(([seq]) => seq);
      if (missing.length || extra.length || view.conflicts.length || shown.length !== expected.length) {
        problems.push({ observer: o.name, room, expected: expected.length, shown: shown.length, missing: missing.slice(0, 20), extra: extra.slice(0, 20), conflicts: view.conflicts.slice(0, 5) });
      }
    }
  }
  emit("checked", { ok: problems.length === 0 && stats.liveDuplicates === 0, problems, checked, stats });
  for (const client of [...observers, ...publishers]) client.socket.disconnect();
}

// Commands arrive at any time; "urls" is applied at once, others are awaited by name.
const waiting = new Map();
function nextCommand(op) {
  return new Promise((resolve) => waiting.set(op, resolve));
}
(async () => {
  for (;;) {
    const cmd = JSON.parse(await command());
    if (cmd.op === "urls") {
      urls = cmd.urls;
      emit("urls", { urls });
    } else if (waiting.has(cmd.op)) {
      const resolve = waiting.get(cmd.op);
      waiting.delete(cmd.op);
      resolve(cmd);
    } else if (cmd.op === "exit") {
      process.exit(0);
    }
  }
})().catch(fail);

emit("ready");
run().catch(fail);
