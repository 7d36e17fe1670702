#!/usr/bin/env bash
# Fuzzes one decoder with AFL++ for a bounded time: fuzz/run.sh <engine-payload|socket-packet|redis-message> <seconds>
# (FUZZ_EXECS=N instead stops after about N executions: the long runs the README records use FUZZ_EXECS=10000000).
# Builds in Release, instruments the decoder's assembly with SharpFuzz, runs afl-fuzz, prints the executions and the
# crash and hang counts, and exits non-zero when anything crashed or hung. Findings stay in .artifacts/fuzz/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh <engine-payload|socket-packet|redis-message> <seconds>}
seconds=${2:?usage: fuzz/run.sh <target> <seconds>}
case "$target" in
  engine-payload|socket-packet) assemblies=(Sockeye.Protocol.dll) ;;
  redis-message) assemblies=(Sockeye.Redis.dll) ;;
  *) echo "unknown target: $target" >&2; exit 2 ;;
esac

work=.artifacts/fuzz/$target
bin=$work/bin
rm -rf "$work"
mkdir -p "$work"

# A fresh output folder each time: SharpFuzz refuses to instrument an assembly twice.
dotnet build fuzz/Sockeye.Fuzz -c Release --nologo -v:q -clp:ErrorsOnly -o "$bin" > "$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }
dotnet tool restore > /dev/null
for assembly in "${assemblies[@]}"; do
  dotnet sharpfuzz "$bin/$assembly" > /dev/null
done

# The target is dotnet, not an AFL-compiled binary: the instrumentation lives in the rewritten assembly.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
export AFL_SHUFFLE_QUEUE=0 AFL_FAST_CAL=1
bound=(-V "$seconds")
[ -n "${FUZZ_EXECS:-}" ] && bound=(-E "$FUZZ_EXECS")
afl-fuzz -i "fuzz/corpus/$target" -o "$work/findings" -t 5000 -m none "${bound[@]}" \
  -- dotnet "$bin/Sockeye.Fuzz.dll" "$target" > "$work/afl.log" 2>&1 || { tail -20 "$work/afl.log"; exit 1; }

stats=$work/findings/default/fuzzer_stats
stat() { awk -F' *: *' -v key="$1" '$1 == key { print $2 }' "$stats"; }
execs=$(stat execs_done)
crashes=$(stat saved_crashes)
hangs=$(stat saved_hangs)
echo "$target: $execs executions in $(stat run_time) s ($(stat execs_per_sec)/s), $crashes crashes, $hangs hangs"
if [ "${crashes:-0}" != 0 ] || [ "${hangs:-0}" != 0 ]; then
  echo "inputs in $work/findings/default/crashes and .../hangs; reproduce with: dotnet $bin/Sockeye.Fuzz.dll $target < input" >&2
  exit 1
fi
