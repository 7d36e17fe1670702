// Sums the outcome counters of every TRX file (dotnet test) and JUnit XML file (Vitest) in a folder and prints
// "N passed, N failed, N skipped". Exits non-zero when anything failed, when a runner itself failed, or when no test
// ran at all.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [dir, runnerStatus = "0"] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let files = 0;

const attribute = (element, name) => Number((element.match(new RegExp(`\\b${name}="(\\d+)"`)) || [0, 0])[1]);

function addTrx(xml) {
  const counters = xml.match(/<Counters\b[^>]*>/);
  if (!counters) {
    failed++;
    return;
  }
  passed += attribute(counters[0], "passed");
  failed += attribute(counters[0], "failed") + attribute(counters[0], "error") + attribute(counters[0], "timeout") + attribute(counters[0], "aborted");
  skipped += attribute(counters[0], "notExecuted") + attribute(counters[0], "notRunnable");
}

function addJUnit(xml) {
  // One <testsuite> per test file; <testsuites> only repeats their sums.
  const suites = xml.match(/<testsuite\b[^>]*>/g);
  if (!suites) {
    failed++;
    return;
  }
  for (const suite of suites) {
    const broken = attribute(suite, "failures") + attribute(suite, "errors");
    const notRun = attribute(suite, "skipped");
    passed += attribute(suite, "tests") - broken - notRun;
    failed += broken;
    skipped += notRun;
  }
}

for (const name of readdirSync(dir)) {
  if (name.endsWith(".trx")) {
    files++;
    addTrx(readFileSync(join(dir, name), "utf8"));
  } else if (name.endsWith(".xml")) {
    files++;
    addJUnit(readFileSync(join(dir, name), "utf8"));
  }
}

if (files === 0 || (runnerStatus !== "0" && failed === 0)) {
  // The runner failed without recording a failed test (a crash, a build problem): count it as one failure.
  failed++;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
