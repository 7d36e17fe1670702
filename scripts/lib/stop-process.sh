# Sourced by the scripts that start a server of their own (bench/run.sh, scripts/soak.sh).

# stop_process PID: asks the process to stop (SIGTERM, which a .NET host answers with a graceful shutdown), gives it
# ten seconds, then kills it; reaps it either way.
stop_process() {
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
