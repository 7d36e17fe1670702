/*
 * The system-call floor of the benchmark: one thread, one epoll set, level-triggered, one recv() per readable
 * connection and one send() per batch of answers. It speaks just enough Engine.IO v4 / Socket.IO v5 for the echo and
 * connect scenarios (the WebSocket upgrade, a fixed open packet, a fixed CONNECT answer, and `43<id>[...]` made by
 * copying the bytes of `42<id>["echo",...]`), which is as little work per message as a server can do. Its CPU per ack
 * is what the kernel charges for the socket calls and the loopback TCP path; no Socket.IO server can do better than
 * it on the same machine (docs/performance.md). Not a server to use: frames up to 16 KiB, no fragments, no pings.
 *
 * Build: cc -O2 -o floor floor.c    Run: PORT=3300 ./floor
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_HEAD 16384
#define READ_SIZE 65536

static const char OPEN[] = "0{\"sid\":\"FLOORFLOORFLOORFLOOR\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";
static const char CONNECTED[] = "40{\"sid\":\"floorfloorfloorfloor\"}";
static const char GC_ANSWER[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 22\r\nConnection: close\r\n\r\n{\"gc\":\"none\",\"heap\":0}";

/* A connection keeps only the bytes of a frame or request head that arrived incomplete. */
typedef struct {
  int fd;
  int upgraded;
  size_t pending_len;
  unsigned char *pending;
} connection;

static unsigned char in_buf[READ_SIZE + MAX_HEAD];
static unsigned char out_buf[2 * (READ_SIZE + MAX_HEAD)];

/* SHA-1 (FIPS 180-4), only for the Sec-WebSocket-Accept value RFC 6455 prescribes. */
static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void sha1(const unsigned char *data, size_t len, unsigned char digest[20]) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  size_t total = ((len + 8) / 64 + 1) * 64;
  unsigned char *msg = calloc(total, 1);
  memcpy(msg, data, len);
  msg[len] = 0x80;
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++) msg[total - 1 - i] = (unsigned char)(bits >> (8 * i));
  for (size_t block = 0; block < total; block += 64) {
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
      w[i] = (uint32_t)msg[block + 4 * i] << 24 | (uint32_t)msg[block + 4 * i + 1] << 16 | (uint32_t)msg[block + 4 * i + 2] << 8 | msg[block + 4 * i + 3];
    for (int i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
      uint32_t f, k;
      if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
      else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
      else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
      else { f = b ^ c ^ d; k = 0xCA62C1D6; }
      uint32_t t = rol(a, 5) + f + e + k + w[i];
      e = d; d = c; c = rol(b, 30); b = a; a = t;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
  }
  free(msg);
  for (int i = 0; i < 20; i++) digest[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static void base64(const unsigned char *in, size_t len, char *out) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t o = 0;
  for (size_t i = 0; i < len; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < len ? (uint32_t)in[i + 1] << 8 : 0) | (i + 2 < len ? in[i + 2] : 0);
    out[o++] = alphabet[(v >> 18) & 63];
    out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < len ? alphabet[v & 63] : '=';
  }
  out[o] = 0;
}

static size_t write_frame(unsigned char *out, const unsigned char *payload, size_t len) {
  size_t o = 0;
  out[o++] = 0x81;
  if (len < 126) out[o++] = (unsigned char)len;
  else { out[o++] = 126; out[o++] = (unsigned char)(len >> 8); out[o++] = (unsigned char)len; }
  memcpy(out + o, payload, len);
  return o + len;
}

/* The answer to one unmasked text packet, framed into out; 0 when it needs none. */
static size_t answer(const unsigned char *p, size_t n, unsigned char *out) {
  if (n < 2 || p[0] != '4') return 0;
  if (p[1] == '0') return write_frame(out, (const unsigned char *)CONNECTED, sizeof CONNECTED - 1);
  const unsigned char *comma = memchr(p, ',', n);
  if (p[1] != '2' || !comma) return 0;
  size_t id_end = 2;
  while (id_end < n && p[id_end] >= '0' && p[id_end] <= '9') id_end++;
  size_t args = n - (size_t)(comma + 1 - p);
  size_t len = id_end + 1 + args, header = len < 126 ? 2 : 4, o = header;
  out[o++] = '4';
  out[o++] = '3';
  memcpy(out + o, p + 2, id_end - 2); o += id_end - 2;
  out[o++] = '[';
  memcpy(out + o, comma + 1, args);
  out[0] = 0x81;
  if (header == 2) out[1] = (unsigned char)len;
  else { out[1] = 126; out[2] = (unsigned char)(len >> 8); out[3] = (unsigned char)len; }
  return header + len;
}

/* Handles the bytes in buf; returns how many were consumed, or -1 to close the connection. */
static long handle(connection *c, unsigned char *buf, size_t len, size_t *out_len) {
  size_t pos = 0;
  if (!c->upgraded) {
    unsigned char *end = memmem(buf, len, "\r\n\r\n", 4);
    if (!end) return len > MAX_HEAD ? -1 : 0;
    *end = 0;
    char *key = strcasestr((char *)buf, "\r\nSec-WebSocket-Key:");
    if (!key) {
      memcpy(out_buf, GC_ANSWER, sizeof GC_ANSWER - 1); /* GET /gc: nothing to collect here */
      *out_len = sizeof GC_ANSWER - 1;
      return -1;
    }
    key += 20;
    while (*key == ' ') key++;
    char accept_src[128], accept[40];
    size_t key_len = strcspn(key, "\r ");
    if (key_len > 60) return -1;
    memcpy(accept_src, key, key_len);
    memcpy(accept_src + key_len, "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", 36);
    unsigned char digest[20];
    sha1((unsigned char *)accept_src, key_len + 36, digest);
    base64(digest, 20, accept);
    *out_len = (size_t)sprintf((char *)out_buf, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", accept);
    *out_len += write_frame(out_buf + *out_len, (const unsigned char *)OPEN, sizeof OPEN - 1);
    c->upgraded = 1;
    pos = (size_t)(end + 4 - buf);
  }
  while (len - pos >= 2) {
    unsigned char *h = buf + pos;
    size_t n = h[1] & 127, offset = 2;
    if (!(h[1] & 128) || n == 127) return -1;
    if (n == 126) {
      if (len - pos < 4) break;
      n = (size_t)h[2] << 8 | h[3];
      offset = 4;
    }
    if (len - pos < offset + 4 + n || *out_len + n + 64 > sizeof out_buf) break;
    unsigned char *p = h + offset + 4;
    for (size_t i = 0; i < n; i++) p[i] ^= h[offset + (i & 3)];
    if ((h[0] & 15) == 8) return -1;
    *out_len += answer(p, n, out_buf + *out_len);
    pos += offset + 4 + n;
  }
  return (long)pos;
}

static void drop(connection *c) {
  close(c->fd);
  free(c->pending);
  free(c);
}

int main(void) {
  int port = getenv("PORT") ? atoi(getenv("PORT")) : 3000, one = 1;
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 4096)) {
    perror("listen");
    return 1;
  }
  int epoll = epoll_create1(0);
  struct epoll_event event = {.events = EPOLLIN, .data.ptr = NULL}, events[256];
  epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
  for (;;) {
    int ready = epoll_wait(epoll, events, 256, -1);
    for (int i = 0; i < ready; i++) {
      connection *c = events[i].data.ptr;
      if (!c) {
        int fd;
        while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          c = calloc(1, sizeof *c);
          c->fd = fd;
          struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
          epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &e);
        }
        continue;
      }
      memcpy(in_buf, c->pending, c->pending_len);
      ssize_t received = recv(c->fd, in_buf + c->pending_len, READ_SIZE, 0);
      if (received < 0 && errno == EAGAIN) continue;
      if (received <= 0) { drop(c); continue; }
      size_t len = c->pending_len + (size_t)received, out_len = 0;
      long used = handle(c, in_buf, len, &out_len);
      if (out_len) send(c->fd, out_buf, out_len, MSG_NOSIGNAL);
      if (used < 0 || len - (size_t)used > MAX_HEAD) { drop(c); continue; }
      free(c->pending);
      c->pending_len = len - (size_t)used;
      c->pending = c->pending_len ? malloc(c->pending_len) : NULL;
      if (c->pending) memcpy(c->pending, in_buf + used, c->pending_len);
    }
  }
}
