#!/usr/bin/env bash
# Runs every Sockeye test suite on a fresh Debian machine with the .NET 10 SDK and Node 20.
# Installs what the suites need, runs them, and ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/.artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

step() { printf '\n== %s\n' "$*"; }

# The chat persistence tests start a real PostgreSQL from Debian's binaries (initdb + pg_ctl in a temporary folder).
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; then
  step "Installing PostgreSQL (apt-get)"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; } \
    || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi

# The Redis adapter tests start a real redis-server from Debian's package on a free loopback port.
if ! command -v redis-server > /dev/null; then
  step "Installing Redis (apt-get)"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server; } \
    || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi

# The chat cluster tests put Debian's nginx, started with deploy/nginx.conf on a free loopback port, in front of three
# chat instances.
if ! command -v nginx > /dev/null && [ ! -x /usr/sbin/nginx ]; then
  step "Installing nginx (apt-get)"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx; } \
    || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi

# The browser tests drive Debian's Chromium through Playwright (never a browser Playwright would download).
if ! command -v chromium > /dev/null; then
  step "Installing Chromium (apt-get)"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } \
    || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi

# The fuzz step runs AFL++ from Debian's package.
if ! command -v afl-fuzz > /dev/null; then
  step "Installing AFL++ (apt-get)"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends afl++; } \
    || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi

step "Installing the npm packages of the interop suites (npm ci)"
npm ci --prefix tests/interop --no-audit --no-fund --loglevel=error || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

step "Building"
if ! dotnet build Sockeye.slnx -c Release --nologo -v:q -clp:ErrorsOnly; then
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

step "Running the test suites"
status=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  # One TRX file per suite, named after it, so suites that finish in the same second cannot overwrite each other.
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=1
done

# The web client's unit tests; the build above installed its packages (npm ci) and type-checked them.
step "Running the web client's unit tests (Vitest)"
npm test --prefix src/Sockeye.Chat/ClientApp --silent -- \
  --reporter=default --reporter=junit --outputFile.junit="$results/Sockeye.Chat.ClientApp.junit.xml" || status=1

# Each decoder fuzzed for a bounded time; one JUnit test case per target, failed when it crashed or hung.
step "Fuzzing the decoders (AFL++, ${FUZZ_SECONDS:-15} s each)"
xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
fuzz_cases=""
fuzz_failures=0
for target in engine-payload socket-packet redis-message; do
  started=$SECONDS
  if output=$(fuzz/run.sh "$target" "${FUZZ_SECONDS:-15}" 2>&1); then
    body="<system-out>$(xml_escape <<< "$output")</system-out>"
  else
    fuzz_failures=$((fuzz_failures + 1))
    body="<failure message=\"crashed, hung or did not run\">$(xml_escape <<< "$output")</failure>"
  fi
  fuzz_cases+="  <testcase classname=\"fuzz\" name=\"$target\" time=\"$((SECONDS - started))\">$body</testcase>"$'\n'
  echo "$output" | tail -1
done
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo "<testsuite name=\"fuzz\" tests=\"3\" failures=\"$fuzz_failures\" errors=\"0\" skipped=\"0\">"
  printf '%s' "$fuzz_cases"
  echo '</testsuite>'
} > "$results/fuzz.xml"

# The bench target under churn, drops and room traffic for a bounded time; one JUnit test case, failed when its
# memory, descriptors or threads grew beyond the tolerances of docs/soak.md, or a message was lost, or anything failed.
step "Soak (${SOAK_SECONDS:-60} s)"
started=$SECONDS
if output=$(scripts/soak.sh "${SOAK_SECONDS:-60}" 2>&1); then
  soak_failures=0
  body="<system-out>$(xml_escape <<< "$output")</system-out>"
else
  soak_failures=1
  body="<failure message=\"grew beyond its tolerances, lost a message or failed (see the output)\"/><system-out>$(xml_escape <<< "$output")</system-out>"
fi
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo "<testsuite name=\"soak\" tests=\"1\" failures=\"$soak_failures\" errors=\"0\" skipped=\"0\">"
  echo "  <testcase classname=\"soak\" name=\"soak\" time=\"$((SECONDS - started))\">$body</testcase>"
  echo '</testsuite>'
} > "$results/soak.xml"
grep -E '^soak: (passed|FAILED)' <<< "$output" || tail -3 <<< "$output"

node scripts/summarize-trx.mjs "$results" "$status"
