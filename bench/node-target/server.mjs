// The reference side of the benchmark: a plain socket.io server, default options, one process, serving the contract
// every target implements (echo, join, publish). Port from PORT, bound to 127.0.0.1. Run with --expose-gc so that
// GET /gc can collect before the load generator reads the resident set.
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.env.PORT ?? 3000);

const http = createServer((req, res) => {
  if (req.url === "/gc") {
    if (typeof global.gc === "function") {
      global.gc();
    }

    const body = JSON.stringify({ gc: typeof global.gc === "function" ? "v8" : "none", heap: process.memoryUsage().heapUsed });
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(body);
    return;
  }

  res.writeHead(404);
  res.end();
});

const io = new Server(http);

io.on("connection", (socket) => {
  socket.on("echo", (...args) => {
    if (typeof args[args.length - 1] === "function") {
      const ack = args.pop();
      ack(...args);
    }
  });

  socket.on("join", (room, ack) => {
    socket.join(room);
    if (typeof ack === "function") {
      ack();
    }
  });

  // io.to() includes the sender when it is in the room; the load generator's publishers never join it.
  socket.on("publish", (room, payload, ack) => {
    io.to(room).emit("message", payload);
    if (typeof ack === "function") {
      ack();
    }
  });
});

http.listen(port, "127.0.0.1");
