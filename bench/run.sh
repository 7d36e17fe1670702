#!/usr/bin/env bash
# The side-by-side benchmark: Sockeye, the reference Node socket.io server and ASP.NET Core SignalR under the same
# load, one target at a time. Builds in Release, installs the Node target from its lock file, then for each target:
# start the server, wait until it listens, run every scenario of the load generator (one JSON line each), stop the
# server. Prints the markdown table and writes it to bench/RESULTS.md.
#
# By default the server is pinned to one core and the load generator to the other (taskset), so neither steals the
# other's CPU and every target gets the same single core (Node's event loop uses one anyway). On one core the .NET
# runtime picks workstation GC; BENCH_PIN=0 runs unpinned (server GC, both cores shared with the load generator).
#
# The floors (floor-aspnet, floor-kestrel, floor-c) are not Socket.IO servers: they answer the echo and connect
# scenarios by copying bytes, on ASP.NET Core's WebSocket stack, on a bare Kestrel connection handler, and in a C epoll
# loop. They show what the layers under a server cost on this machine (docs/performance.md), and run those two
# scenarios only.
#
# Knobs (environment): BENCH_TARGETS ("sockeye node signalr floor-aspnet floor-kestrel floor-c"),
# BENCH_SCENARIOS ("echo fanout polling connect"),
# BENCH_PORT (3300), BENCH_PIN (1), BENCH_ECHO_ARGS, BENCH_FANOUT_ARGS, BENCH_POLLING_ARGS, BENCH_CONNECT_ARGS,
# BENCH_KESTREL_INLINE (1: the .NET targets run Kestrel with inline scheduling and inline socket completions, the
# event-loop model Node uses; 0 for Kestrel's default thread-pool scheduling),
# BENCH_OUTPUT (bench/RESULTS.md; "-" to only print), BENCH_QUIET_WAIT (10: seconds to wait before each scenario for
# other work on the machine to calm down; 0 to never wait).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
COMMAND_LINE="bench/run.sh${*:+ $*}"
TARGETS=${BENCH_TARGETS:-"sockeye node signalr floor-aspnet floor-kestrel floor-c"}
SCENARIOS=${BENCH_SCENARIOS:-"echo fanout polling connect"}
PORT=${BENCH_PORT:-3300}
PIN=${BENCH_PIN:-1}
KESTREL_INLINE=${BENCH_KESTREL_INLINE:-1}
ECHO_ARGS=${BENCH_ECHO_ARGS:-"--connections 200 --duration 10 --warmup 3 --rate 10000 --payload 32"}
FANOUT_ARGS=${BENCH_FANOUT_ARGS:-"--subscribers 1000 --publishers 4 --rate 20 --duration 10 --warmup 3 --window 32 --payload 64"}
POLLING_ARGS=${BENCH_POLLING_ARGS:-"--connections 20 --duration 10 --warmup 3 --payload 32"}
CONNECT_ARGS=${BENCH_CONNECT_ARGS:-"--connections 10000 --concurrency 100 --idle 3"}
# Before the recorded scenarios, each server runs a short unrecorded echo and fan-out, so that the JIT tiers
# (tiered PGO in .NET, TurboFan in V8) are done with the hot paths: on one busy core that takes a while.
WARMUP_ECHO_ARGS=${BENCH_WARMUP_ECHO_ARGS:-"--connections 50 --duration 4 --warmup 4 --rate 2000"}
WARMUP_FANOUT_ARGS=${BENCH_WARMUP_FANOUT_ARGS:-"--subscribers 200 --publishers 2 --rate 20 --duration 2 --warmup 2 --window 8"}
OUTPUT=${BENCH_OUTPUT:-"$ROOT/bench/RESULTS.md"}
QUIET_WAIT=${BENCH_QUIET_WAIT:-10}
CONFIG=Release
TFM=net10.0
LOADGEN="$ROOT/bench/Sockeye.LoadGenerator/bin/$CONFIG/$TFM/Sockeye.LoadGenerator.dll"
WORK=$(mktemp -d)
RESULTS="$WORK/results.jsonl"
SERVER_PID=""
START=$(date +%s)

log() { printf '[bench %4ss] %s\n' "$(($(date +%s) - START))" "$*" >&2; }

# shellcheck source=scripts/lib/stop-process.sh
source "$ROOT/scripts/lib/stop-process.sh"
stop_server() {
  stop_process "$SERVER_PID"
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT

# 10,000 connections need as many descriptors in the server and in the load generator.
ulimit -n "$(ulimit -Hn)"

server_cpu=(); loadgen_cpu=()
if [[ "$PIN" == 1 ]]; then
  server_cpu=(taskset -c 1); loadgen_cpu=(taskset -c 0)
fi

log "building (Release)"
for project in Sockeye.BenchTarget Sockeye.SignalRTarget Sockeye.FloorTarget Sockeye.LoadGenerator; do
  dotnet build "bench/$project/$project.csproj" -c "$CONFIG" -nologo -v q -clp:ErrorsOnly >&2
done
if [[ " $TARGETS " == *" floor-c "* ]]; then
  log "cc bench/floor-c/floor.c"
  cc -O2 -o "$WORK/floor-c" bench/floor-c/floor.c
fi
log "npm ci (bench/node-target)"
(cd bench/node-target && npm ci --no-audit --no-fund --loglevel=error >&2)

# Waits (at most QUIET_WAIT seconds) until the whole machine used under 10 % of one core for 2 s: between scenarios
# the server idles, so anything busier is someone else's build or test run.
wait_for_quiet() {
  local deadline=$(( $(date +%s) + QUIET_WAIT )) a b
  while (( $(date +%s) < deadline )); do
    a=$(awk '/^cpu / { print $2 + $3 + $4 }' /proc/stat); sleep 2; b=$(awk '/^cpu / { print $2 + $3 + $4 }' /proc/stat)
    (( b - a < 20 )) && return 0
  done
  log "the machine is still busy; going on"
}

start_server() {
  local target=$1
  case "$target" in
    sockeye) PORT=$PORT BENCH_INLINE=$KESTREL_INLINE DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=$KESTREL_INLINE "${server_cpu[@]}" dotnet "bench/Sockeye.BenchTarget/bin/$CONFIG/$TFM/Sockeye.BenchTarget.dll" >"$WORK/$target.log" 2>&1 & ;;
    signalr) PORT=$PORT BENCH_INLINE=$KESTREL_INLINE DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=$KESTREL_INLINE "${server_cpu[@]}" dotnet "bench/Sockeye.SignalRTarget/bin/$CONFIG/$TFM/Sockeye.SignalRTarget.dll" >"$WORK/$target.log" 2>&1 & ;;
    node) PORT=$PORT "${server_cpu[@]}" node --expose-gc bench/node-target/server.mjs >"$WORK/$target.log" 2>&1 & ;;
    floor-aspnet|floor-kestrel)
      FLOOR_MODE=${target#floor-} PORT=$PORT BENCH_INLINE=$KESTREL_INLINE DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=$KESTREL_INLINE "${server_cpu[@]}" dotnet "bench/Sockeye.FloorTarget/bin/$CONFIG/$TFM/Sockeye.FloorTarget.dll" >"$WORK/$target.log" 2>&1 & ;;
    floor-c) PORT=$PORT "${server_cpu[@]}" "$WORK/floor-c" >"$WORK/$target.log" 2>&1 & ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
  SERVER_PID=$!
  for _ in $(seq 150); do
    if curl -sf -o /dev/null "http://127.0.0.1:$PORT/gc"; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.2
  done
  echo "$target did not start:" >&2; cat "$WORK/$target.log" >&2; exit 1
}

for target in $TARGETS; do
  protocol=socketio
  [[ "$target" == signalr ]] && protocol=signalr
  log "starting $target"
  start_server "$target"
  log "$target: warm-up (not recorded)"
  warmups=("echo $WARMUP_ECHO_ARGS" "fanout $WARMUP_FANOUT_ARGS")
  [[ "$target" == floor-* ]] && warmups=("echo $WARMUP_ECHO_ARGS")
  for warmup in "${warmups[@]}"; do
    # shellcheck disable=SC2086
    DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 "${loadgen_cpu[@]}" dotnet "$LOADGEN" $warmup --target "$target" \
      --protocol "$protocol" --url "http://127.0.0.1:$PORT" --pid "$SERVER_PID" >/dev/null || log "$target: warm-up failed"
  done
  sleep 1
  for scenario in $SCENARIOS; do
    if [[ "$scenario" == polling && "$protocol" != socketio ]]; then continue; fi
    if [[ "$target" == floor-* && "$scenario" != echo && "$scenario" != connect ]]; then continue; fi
    case "$scenario" in
      echo) args=$ECHO_ARGS ;; fanout) args=$FANOUT_ARGS ;; polling) args=$POLLING_ARGS ;; connect) args=$CONNECT_ARGS ;;
      *) echo "unknown scenario $scenario" >&2; exit 2 ;;
    esac
    wait_for_quiet
    log "$target: $scenario $args"
    # shellcheck disable=SC2086
    # Inline socket completions: the load generator handles each frame on the epoll thread instead of queueing it to
    # the thread pool, which halves its CPU per frame and keeps it from being the bottleneck.
    if line=$(DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 "${loadgen_cpu[@]}" dotnet "$LOADGEN" "$scenario" --target "$target" --protocol "$protocol" \
        --url "http://127.0.0.1:$PORT" --pid "$SERVER_PID" $args); then
      echo "$line" | tee -a "$RESULTS" >&2
      # Other work on the machine competes with the pinned server and load generator: say so when it was visible.
      busy=$(echo "$line" | grep -oE '_other_cpu_pct":[0-9.]+' | cut -d: -f2 | sort -n | tail -1)
      if awk -v b="${busy:-0}" 'BEGIN { exit !(b > 10) }'; then
        log "warning: other processes used up to ${busy}% of a core during $target $scenario"
        echo "$target $scenario ${busy}" >>"$WORK/interference"
      fi
    else
      log "$target: $scenario failed"
    fi
    sleep 2
  done
  stop_server
  sleep 2
done

TABLE=$(dotnet "$LOADGEN" report --input "$RESULTS" --baseline node)
ELAPSED=$(($(date +%s) - START))
CORES=$(grep -c '^processor' /proc/cpuinfo)
MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEMORY=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git status --porcelain -- src 2>/dev/null | wc -l)
SOURCE="commit $COMMIT"
[[ "$DIRTY" == 0 ]] || SOURCE="$SOURCE plus uncommitted changes to $DIRTY file(s) under src/"
PINNING="server on core 1, load generator on core 0 (taskset)"
[[ "$PIN" == 1 ]] || PINNING="none (server and load generator share every core)"
SCHEDULING="inline (UnsafePreferInlineScheduling + DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1: one event-loop thread per core, as Node)"
[[ "$KESTREL_INLINE" == 1 ]] || SCHEDULING="Kestrel's default (I/O queues and the thread pool)"

INTERFERENCE="none seen (other processes stayed under 10 % of a core in every measured phase)"
if [[ -s "$WORK/interference" ]]; then
  INTERFERENCE="other processes used more than 10 % of a core during: $(awk '{ printf "%s%s %s (%s %%)", (NR > 1 ? ", " : ""), $1, $2, $3 }' "$WORK/interference") — those rows are less reliable"
fi

report() {
  cat <<EOF
# Side-by-side benchmark: Sockeye, Node socket.io, SignalR

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Machine: $CORES cores ($MODEL), $MEMORY memory, $(uname -sr); .NET $(dotnet --version), Node $(node --version)
- Sockeye: $SOURCE
- Command: \`$COMMAND_LINE\` (BENCH_TARGETS="$TARGETS", BENCH_SCENARIOS="$SCENARIOS", BENCH_PIN=$PIN, BENCH_KESTREL_INLINE=$KESTREL_INLINE); took ${ELAPSED} s
- CPU pinning: $PINNING
- Kestrel scheduling for the .NET targets: $SCHEDULING
- Interference: $INTERFERENCE
- Targets: \`sockeye\` = bench/Sockeye.BenchTarget (Release, default options), \`node\` = socket.io 4.8.4 with
  default options in one process, \`signalr\` = an ASP.NET Core SignalR hub (JSON protocol, WebSockets, no negotiation).
  Fan-out uses \`io.to(room)\` / \`Clients.Group(room)\`, which would include the sender if it were in the room; the
  load generator's publishers never join it, so every delivery counted is to a subscriber.

$TABLE

How to read it: ratios are target / node, so above 1 is better for ↑ rows and worse for ↓ rows. "per server
CPU-s" divides the work done by the server's utime+stime over the same window (from /proc), the fairest number when
targets saturate differently. The \`*_loadgen_cpu_pct\` rows show how busy the load generator's own core was: near
100 % means the figure is bounded by the load generator, not the server. Memory per connection is the server's
VmRSS at N idle connections minus VmRSS before the ramp, both read after a forced full collection, divided by N.
EOF
}

NOTES_MARKER='<!-- Everything below this line is kept by bench/run.sh. -->'
if [[ "$OUTPUT" != "-" ]]; then
  NOTES=""
  if [[ -f "$OUTPUT" ]] && grep -qF "$NOTES_MARKER" "$OUTPUT"; then
    NOTES=$(awk -v marker="$NOTES_MARKER" 'kept || $0 == marker { kept = 1; print }' "$OUTPUT")
  fi
  { report; echo; if [[ -n "$NOTES" ]]; then echo "$NOTES"; else echo "$NOTES_MARKER"; fi; } >"$OUTPUT.tmp"
  mv "$OUTPUT.tmp" "$OUTPUT"
  log "wrote ${OUTPUT#"$ROOT/"}"
fi
report
log "done in ${ELAPSED} s"
