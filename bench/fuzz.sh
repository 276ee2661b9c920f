#!/usr/bin/env bash
# Fuzzes each Jazzer target for a while, one target at a time, and prints per target: executions,
# crashes, slowest input. docs/fuzzing.md explains the targets, the invariant and how to keep a crash.
#
#   bench/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 120 s; targets as below, default all)
#
# e.g. bench/fuzz.sh 600 playbook inventory
# Each target runs as `JAZZER_FUZZ=1 mvn test -Dtest=Class#method` with libFuzzer's -max_total_time,
# -timeout=5 (an input running over 5 s is a finding) and a 1 GiB heap (an OutOfMemoryError is a
# finding). Logs, new corpus entries and crash files go under target/fuzz/ (never committed).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
secs=${1:-120}
shift || true

declare -A where=(
  [playbook]="checks:io.triaready.fuzz.ParsersFuzzTest"
  [inventory]="checks:io.triaready.fuzz.ParsersFuzzTest"
  [expression]="checks:io.triaready.fuzz.ParsersFuzzTest"
  [jsonPath]="checks:io.triaready.fuzz.ParsersFuzzTest"
  [exposition]="checks:io.triaready.fuzz.ParsersFuzzTest"
  [commandLine]="app:io.triaready.cli.CommandLineFuzzTest"
)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(playbook inventory expression jsonPath exposition commandLine)

out="$root/target/fuzz"
mkdir -p "$out"
# build once; each run below only compiles what changed
mvn -B -q -o -DskipCds -DskipTests package -pl checks,playbooks,app >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 2; }
stat() { grep -a -o "$1 *[0-9]*" "$2" | grep -o '[0-9]*$' | tail -1; }

printf '%-12s %12s %9s %8s %11s  %s\n' target executions exec/s crashes slowest_ms result >"$out/summary.txt"
status=0
for t in "${targets[@]}"; do
  spec=${where[$t]:-}
  [ -n "$spec" ] || { echo "unknown target '$t' (one of: ${!where[*]})" >&2; exit 2; }
  module=${spec%%:*}
  class=${spec#*:}
  log="$out/$t.log"
  echo "fuzzing $t for ${secs}s ($module, $class) -> $log" >&2
  rc=0
  # -pl checks,playbooks,app: the reactor supplies app's sibling modules without `mvn install`
  JAZZER_FUZZ=1 mvn -B -o -DskipCds test -pl checks,playbooks,app \
    -Dtest="$class#$t" -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=false \
    -DargLine="-Xmx1g -XX:-OmitStackTraceInFastThrow" \
    -Djazzer.instrumentation_includes='io.triaready.**' \
    -Djazzer.internal.arg.0=fuzz \
    -Djazzer.internal.arg.1=-max_total_time="$secs" \
    -Djazzer.internal.arg.2=-timeout=5 \
    -Djazzer.internal.arg.3=-print_final_stats=1 \
    >"$log" 2>&1 || rc=$?
  execs=$(stat 'stat::number_of_executed_units:' "$log")
  rate=$(stat 'stat::average_exec_per_sec:' "$log")
  # the fuzz targets print each new slowest input's time (in ms, warm JVM)
  slowest=$(stat 'fuzz-slowest-ms:' "$log")
  # Jazzer stops at the first finding: the test fails with a FuzzTestFindingException (an exception,
  # an assertion, an input over -timeout or an OutOfMemoryError)
  crashes=$(grep -a -cE '^\[ERROR\] .*» FuzzTestFinding|ERROR: libFuzzer: (timeout|out-of-memory|deadly signal)' "$log" || true)
  # keep the crash inputs Jazzer wrote into the module directory next to the log
  for f in "$root/$module"/crash-* "$root/$module"/timeout-* "$root/$module"/oom-* "$root/$module"/Crash_*.java; do
    if [ -e "$f" ]; then mv "$f" "$out/$t-$(basename "$f")"; fi
  done
  result=ok
  if [ "$rc" -ne 0 ] || [ "${crashes:-0}" -ne 0 ] || [ -z "$execs" ]; then result="FAILED (see $log)"; status=1; fi
  printf '%-12s %12s %9s %8s %11s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${crashes:-0}" "${slowest:-?}" "$result" >>"$out/summary.txt"
done
cat "$out/summary.txt"
echo "new corpus entries: $root/{checks,app}/.cifuzz-corpus/ (copy the ones worth keeping into src/test/resources/.../*Inputs/<method>/)"
exit $status
