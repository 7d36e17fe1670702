#!/usr/bin/env bash
# A bounded soak of Sockeye: scripts/soak.sh [SECONDS] (60 by default; scripts/soak.sh 1800 for half an hour).
# Starts bench/Sockeye.BenchTarget on a free loopback port, waits until it listens, runs the load generator's soak
# scenario against it for SECONDS (connection churn, abrupt drops, echoes and room publishes over WebSocket and
# long-polling, the server's memory, descriptors and threads sampled), stops the server, prints the scenario's JSON
# line and a short summary, and exits with the soak's verdict: 0 passed, 1 failed (docs/soak.md).
#
# Uses the Release builds of bench/Sockeye.BenchTarget and bench/Sockeye.LoadGenerator as they are, and builds only
# the ones that are missing. Knobs (environment): SOAK_ARGS (more options for the scenario, e.g.
# "--connections 400 --churn 10"; see docs/soak.md), SOAK_LOG (where the server's output goes; a temporary file by
# default, shown when something fails).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_TO_RUN=${1:-60}
EXTRA_ARGS=${SOAK_ARGS:-}
CONFIG=Release
TFM=net10.0
TARGET_DLL="$ROOT/bench/Sockeye.BenchTarget/bin/$CONFIG/$TFM/Sockeye.BenchTarget.dll"
LOADGEN_DLL="$ROOT/bench/Sockeye.LoadGenerator/bin/$CONFIG/$TFM/Sockeye.LoadGenerator.dll"
WORK=$(mktemp -d)
SERVER_LOG=${SOAK_LOG:-"$WORK/server.log"}
SERVER_PID=""
START=$(date +%s)

if ! [[ "$SECONDS_TO_RUN" =~ ^[0-9]+$ ]] || (( SECONDS_TO_RUN < 15 )); then
  echo "usage: scripts/soak.sh [SECONDS] (at least 15)" >&2
  exit 2
fi

log() { printf '[soak %4ss] %s\n' "$(($(date +%s) - START))" "$*" >&2; }

# shellcheck source=scripts/lib/stop-process.sh
source "$ROOT/scripts/lib/stop-process.sh"
stop_server() {
  stop_process "$SERVER_PID"
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT

# Every session holds a descriptor in the server and in the load generator, and dropped ones linger a moment.
ulimit -n "$(ulimit -Hn)"

for project in Sockeye.BenchTarget Sockeye.LoadGenerator; do
  if [[ ! -f "$ROOT/bench/$project/bin/$CONFIG/$TFM/$project.dll" ]]; then
    log "building $project ($CONFIG)"
    dotnet build "bench/$project/$project.csproj" -c "$CONFIG" -nologo -v q -clp:ErrorsOnly >&2
  fi
done

# A loopback port nothing listens on: bash's /dev/tcp fails to connect to it.
free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

PORT=$(free_port)
log "starting the bench target on 127.0.0.1:$PORT"
PORT=$PORT dotnet "$TARGET_DLL" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 150); do
  if curl -sf -o /dev/null "http://127.0.0.1:$PORT/gc"; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
  sleep 0.2
done
if ! curl -sf -o /dev/null "http://127.0.0.1:$PORT/gc"; then
  echo "the bench target did not start:" >&2
  cat "$SERVER_LOG" >&2
  exit 1
fi

log "soak for ${SECONDS_TO_RUN} s${EXTRA_ARGS:+ ($EXTRA_ARGS)}"
status=0
# shellcheck disable=SC2086
line=$(dotnet "$LOADGEN_DLL" soak --target sockeye --protocol socketio --url "http://127.0.0.1:$PORT" \
  --pid "$SERVER_PID" --duration "$SECONDS_TO_RUN" $EXTRA_ARGS) || status=$?
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  log "the bench target exited during the soak"
  status=1
fi
stop_server

if [[ -z "$line" ]]; then
  log "the soak printed no result (exit code $status); server output:"
  tail -50 "$SERVER_LOG" >&2
  exit $(( status == 0 ? 1 : status ))
fi

echo "$line"
# The summary: counters, the first sample after the warm-up and the last one, and the verdict.
SOAK_LINE=$line node --input-type=module -e '
  const r = JSON.parse(process.env.SOAK_LINE);
  const m = r.metrics, v = r.verdict, warmup = r.parameters.warmup;
  const measured = r.samples.filter(s => s.t >= warmup);
  const show = s => s ? `t=${s.t} s: rss ${s.rss_mib} MiB, heap ${s.heap_mib} MiB, ${s.fds} fds, ${s.threads} threads, ${s.sessions} sessions` : "none";
  console.log(`clients ${m.clients} (${m.polling_clients} polling) + ${m.listeners} listeners; ${m.connects} connects, ${m.disconnects} clean disconnects, ${m.drops} drops`);
  console.log(`${m.acks} acks (${m.acks_per_s}/s), ${m.lost_acks} lost; ${m.publishes} publishes, ${m.deliveries} deliveries, ${m.lost_deliveries} lost; ${m.errors} errors`);
  console.log(`first sample after the ${warmup} s warm-up, ${show(measured[0])}`);
  console.log(`last sample, ${show(measured[measured.length - 1])}`);
  for (const [name, g] of Object.entries(v.growth)) {
    console.log(`  ${name}: ${g.first} -> ${g.last} (growth ${g.growth}, allowed ${g.allowed}) ${g.passed ? "ok" : "TOO MUCH"}`);
  }
  console.log(v.passed ? "soak: passed" : `soak: FAILED: ${v.failures.join("; ")}`);
'
if [[ "$status" != 0 ]]; then
  log "server output (last lines):"
  tail -20 "$SERVER_LOG" >&2
fi
exit "$status"
