#!/usr/bin/env bash
# Same work, same run: tria-ready against testinfra, serverspec and Ansible on the 40-check suite.
# Brings the bench target up (loopback, or --netns for 25 ms each way), then runs every tool
# alternately for ROUNDS rounds (so drift in the machine hits all tools alike), checks that each
# run reported exactly "35 passed, 5 failed: C13 C16 C26 C31 C37", and prints medians and the ratio
# of each tool's wall time to tria-ready's. Startup figures (--version, validate; with and without
# the class-data archive) come first.
#   usage: bench/compare.sh [--netns] [--rounds N] [--tools "label ..."]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
shared=${TRIA_BENCH:-$repo/../shared/bench}
rounds=5 netns=0 only=""
while [ $# -gt 0 ]; do
  case $1 in
    --netns) netns=1;;
    --rounds) rounds=$2; shift;;
    --tools) only=$2; shift;;
    *) echo "usage: $0 [--netns] [--rounds N] [--tools \"label ...\"]" >&2; exit 2;;
  esac; shift
done
expected="35 5 C13 C16 C26 C31 C37"
[ -f "$repo/app/target/tria-ready.jar" ] || (cd "$repo" && mvn -q -B package -DskipTests)

if [ $netns = 1 ]; then
  export TRIA_STATE=/tmp/tria-bench-netns
  bash "$shared/target/up-netns.sh" >/dev/null
  trap 'bash "$shared/target/down-netns.sh" >/dev/null 2>&1 || true' EXIT
else
  export TRIA_STATE=/tmp/tria-bench
  bash "$shared/target/up.sh" >/dev/null
  trap 'TRIA_STATE=/tmp/tria-bench bash "$shared/target/down.sh" >/dev/null 2>&1 || true' EXIT
fi
. "$shared/peers/common.sh"
out=$(mktemp -d /tmp/tria-compare.XXXXXX)
# C37 expects nothing listening on HOST:6379. A development machine of ours runs its own Redis on
# 127.0.0.1:6379, so on loopback C37 really passes, for every tool alike: expect 36/4 then.
if ss -Hltn "sport = :6379" | grep -qE "(${TRIA_HOST//./\\.}|0\.0\.0\.0|\*|\[::\]):6379"; then
  expected="36 4 C13 C16 C26 C31"
  echo "# note: this machine listens on $TRIA_HOST:6379 (its own Redis), so C37 passes for every tool: expecting 36 passed, 4 failed"
fi

tools=$(cat <<'LIST'
tria-ready                bash bench/tria-ready.sh
tria-ready/lanes          env TRIA_READY_EXEC=shell bash bench/tria-ready.sh
tria-ready/no-tricks      env TRIA_READY_SPEED_TRICKS=off bash bench/tria-ready.sh
testinfra/ssh-cp          env BACKEND=ssh-cp bash SHARED/peers/testinfra/run.sh
testinfra/paramiko        env BACKEND=paramiko bash SHARED/peers/testinfra/run.sh
testinfra/paramiko-xdist4 env BACKEND=paramiko XDIST=4 bash SHARED/peers/testinfra/run.sh
serverspec/ssh            bash SHARED/peers/serverspec/run.sh
ansible/pipelining-cp     env CP=1 bash SHARED/peers/ansible/run.sh
LIST
)
tools=${tools//SHARED/$shared}
# TRIA_READY_BEFORE_JAR=path/to/tria-ready.jar (an earlier build, with its start-up archive beside it)
# adds it as "tria-ready/before": a before/after of a change, in the same alternating rounds
if [ -n "${TRIA_READY_BEFORE_JAR:-}" ]; then
  tools="$tools"$'\n'"tria-ready/before         env TRIA_READY_JAR=$TRIA_READY_BEFORE_JAR bash bench/tria-ready.sh"
fi
[ -z "$only" ] || tools=$(grep -E "^($(tr ' ' '|' <<<"$only"))[[:space:]]" <<<"$tools")

measure() {  # label command... : one timed run, appended to $out/label.times; output kept for counting
  local label=$1; shift
  local f=$out/${label//\//_}
  /usr/bin/time -a -o "$f.times" -f '%e %U %S %M %x' "$@" >"$f.last" 2>&1 </dev/null || true
  local got; got=$("$shared/count.sh" "$f.last" 2>/dev/null || echo "no summary")
  [ "$got" = "$expected" ] || { echo "UNEXPECTED from $label: '$got' (want '$expected'); output in $f.last" >&2; echo bad >> "$f.bad"; }
}

cd "$repo"
echo "# $(date -u +%FT%TZ) $(uname -n), $(nproc) cores, target ${TRIA_HOST} ($([ $netns = 1 ] && echo 'netns, 25 ms each way' || echo loopback)), $rounds rounds after 1 warm-up"
echo "# startup"
jar=app/target/tria-ready.jar
for label in "tria-ready --version" "tria-ready validate suite"; do
  args=(--version); [ "$label" = "tria-ready validate suite" ] && args=(validate bench/suite.yaml)
  for r in $(seq $((rounds + 1))); do
    /usr/bin/time -a -o "$out/start-cds.times" -f '%e %U %S %M %x' ./tria-ready "${args[@]}" >/dev/null 2>&1 || true
    /usr/bin/time -a -o "$out/start-nocds.times" -f '%e %U %S %M %x' env TRIA_READY_NO_CDS=1 ./tria-ready "${args[@]}" >/dev/null 2>&1 || true
  done
  python3 "$here/stats.py" "$label (with CDS archive)" < <(tail -n "$rounds" "$out/start-cds.times")
  python3 "$here/stats.py" "$label (without archive)" < <(tail -n "$rounds" "$out/start-nocds.times")
  rm -f "$out"/start-*.times
done

echo "# suite: $(wc -l <<<"$tools") tools × $rounds rounds, alternating"
while read -r label cmd; do measure "$label" $cmd; rm -f "$out/${label//\//_}.times"; done <<<"$tools"   # warm-up
for r in $(seq "$rounds"); do
  while read -r label cmd; do measure "$label" $cmd; done <<<"$tools"
done
python3 "$here/stats.py" --table "$out" <<<"$tools"
rm -rf "$out"
