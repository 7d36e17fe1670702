// Sums the outcome counters of every TRX file in a folder and prints "N passed, N failed, N skipped".
// Exits non-zero when anything failed, when the runner itself failed, or when no test ran at all.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [dir, runnerStatus = "0"] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let files = 0;
for (const name of readdirSync(dir)) {
  if (!name.endsWith(".trx")) continue;
  files++;
  const xml = readFileSync(join(dir, name), "utf8");
  const counters = xml.match(/<Counters\b[^>]*>/);
  if (!counters) {
    failed++;
    continue;
  }
  const read = (attr) => Number((counters[0].match(new RegExp(`\\b${attr}="(\\d+)"`)) || [0, 0])[1]);
  passed += read("passed");
  failed += read("failed") + read("error") + read("timeout") + read("aborted");
  skipped += read("notExecuted") + read("notRunnable");
}

if (files === 0 || (runnerStatus !== "0" && failed === 0)) {
  // The runner failed without recording a failed test (a crash, a build problem): count it as one failure.
  failed++;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
