#!/usr/bin/env bash
# The whole truth matrix (issue 14), repeated: every check type against a real healthy and a real
# broken target, in one engine run per mode, in four modes: (a) alone, (b) -j 200 against an sshd with
# MaxSessions 2 (five copies of the case list, ~230 checks), (c) next to a hung command, query and
# endpoint, (d) while two busy loops per core run. Prints the false outcomes per mode and which cells
# gave them (also in checks/target/truth-matrix.txt). Needs the test servers of `mvn verify`
# (sshd, python3, redis-server, prometheus, the PostgreSQL on 127.0.0.1:5432).
#   usage: bench/truth-matrix.sh [REPEAT]      (default 5)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
repeat=${1:-5}
cd "$repo"
rm -f checks/target/truth-matrix.txt
mvn -B -q -DskipCds verify -pl checks -Ptruth-matrix -Dtruth.repeat="$repeat" >/dev/null 2>&1 || true
if [ ! -s checks/target/truth-matrix.txt ]; then
  echo "truth matrix did not run: try mvn -B -DskipCds verify -pl checks -Ptruth-matrix -Dtruth.repeat=$repeat" >&2
  exit 2
fi
cat checks/target/truth-matrix.txt
# exit 1 when any mode had a false outcome
awk 'NR > 3 && $0 !~ /^ / && NF >= 5 { if ($(NF-1) + 0 > 0) bad = 1 } END { exit bad }' checks/target/truth-matrix.txt
