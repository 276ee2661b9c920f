#!/usr/bin/env bash
# Issue 14: SSH exec modes under CPU load. Starts 3 local sshds (own keys, own ports, MaxSessions as
# given), writes a playbook of CHECKS trivial command checks per host (plus, with --slow, one hung
# `sleep 30` with a 3 s timeout on the first host), and runs tria-ready with `exec: channel` and
# `exec: shell` alternately, ROUNDS times each, idle and then while a bounded CPU burner (BURNERS
# busy loops, each stopped by `timeout`) keeps every core busy. Prints, per mode and condition, the
# wall times (median, min-max) and how many host results were not PASS (all should, but the hung one's),
# with the most frequent reasons.
#   usage: bench/ssh-load.sh [--rounds N] [--checks N] [-j N] [--max-sessions N] [--slow] [--burners N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=5 checks=20 conc=32 maxsessions=10 slow=0 burners=4
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift;;
    --checks) checks=$2; shift;;
    -j) conc=$2; shift;;
    --max-sessions) maxsessions=$2; shift;;
    --slow) slow=1;;
    --burners) burners=$2; shift;;
    *) sed -n 2,8p "$0" >&2; exit 2;;
  esac; shift
done
[ -f "$repo/app/target/tria-ready.jar" ] || { echo "build first: mvn -B -q -o -DskipCds -DskipTests package -pl checks,playbooks,app -am" >&2; exit 2; }

work=$(mktemp -d /tmp/tria-ssh-load.XXXXXX)
pids=()
burner_pids=()
cleanup() {
  for p in "${burner_pids[@]}" "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"; [ -z "${KEEP:-}" ] || echo "kept $work" >&2
}
trap cleanup EXIT
mkdir -p /run/sshd "$work/home"
# a plain home (Debian's skeleton): this machine's /root/.bashrc runs `pyenv init` twice, which bash
# sources for every command sshd runs, and which would be measured instead of tria-ready
for f in .bashrc .profile; do [ ! -f /etc/skel/$f ] || cp /etc/skel/$f "$work/home/"; done
ssh-keygen -q -t ed25519 -N '' -f "$work/client" -C client
ssh-keygen -q -t ed25519 -N '' -f "$work/hostkey" -C host
: > "$work/known_hosts"
ports=()
for i in 1 2 3; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat > "$work/sshd_config.$i" <<CFG
MaxSessions $maxsessions
ListenAddress 127.0.0.1:$port
PidFile none
HostKey $work/hostkey
AuthorizedKeysFile $work/client.pub
PermitRootLogin yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
PrintLastLog no
LogLevel ERROR
SetEnv HOME=$work/home
CFG
  /usr/sbin/sshd -D -e -f "$work/sshd_config.$i" 2>>"$work/sshd.log" &
  pids+=($!)
  ports+=("$port")
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$work/hostkey.pub")" >> "$work/known_hosts"
done
sleep 0.5

for mode in channel shell; do
  {
    echo "targets:"
    echo "  load:"
    echo "    ssh: {user: root, identity: \"$work/client\", known_hosts: \"$work/known_hosts\", ssh_config: none, exec: $mode}"
    echo "    hosts:"
    for i in 1 2 3; do echo "      - {name: h$i, host: 127.0.0.1, port: ${ports[$((i-1))]}}"; done
  } > "$work/targets-$mode.yaml"
done
{
  echo "playbook: ssh-load"
  echo "title: trivial commands on three hosts"
  echo "defaults: {timeout: 10s}"
  echo "checks:"
  for n in $(seq 1 "$checks"); do echo "  - {id: E$n, phase: p0, title: echo $n, command: \"echo ok$n\", expect: {stdout: {contains: ok$n}}}"; done
  [ $slow = 0 ] || echo "  - {id: SLOW, phase: p1, title: a hung neighbour, timeout: 3s, command: \"sleep 30\"}"
} > "$work/playbook.yaml"

run() {  # mode condition: one timed run; appends "seconds not_pass" to $work/mode.condition
  local mode=$1 cond=$2 t0 t1 out bad
  t0=$(date +%s.%N)
  out=$(TRIA_READY_STORE="$work/store" "$repo/tria-ready" audit -p "$work/playbook.yaml" -i "$work/targets-$mode.yaml" -t load \
        -j "$conc" -f json --no-store 2>"$work/err" || true)
  t1=$(date +%s.%N)
  bad=$(python3 -c '
import json,sys
d=json.loads(sys.stdin.read())
n=0
for c in d.get("checks", []):
    if c.get("id")=="SLOW": continue
    for h in c.get("hosts", []):
        if (h.get("status") or "").lower()!="pass":
            n+=1
            print(h.get("host"), c.get("id"), h.get("status"), (h.get("message") or "")[:160], file=sys.stderr)
print(n)' <<<"$out" 2>>"$work/$mode.$cond.why" || echo "?")
  echo "$(echo "$t1 - $t0" | bc) $bad" >> "$work/$mode.$cond"
}

report() {
  local cond=$1
  for mode in channel shell; do
    python3 - "$work/$mode.$cond" "$mode" "$cond" <<'PY'
import sys, statistics
rows=[l.split() for l in open(sys.argv[1])]
t=[float(r[0]) for r in rows]; bad=[r[1] for r in rows]
print(f"{sys.argv[3]:6} exec: {sys.argv[2]:7}  median {statistics.median(t):5.2f} s  min {min(t):5.2f}  max {max(t):5.2f}  host results not PASS per run: {' '.join(bad)}")
PY
    [ ! -s "$work/$mode.$cond.why" ] || cut -d' ' -f3- "$work/$mode.$cond.why" | sed 's/[0-9][0-9.]*s\b/Ns/g; s/:[0-9]\{4,5\}/:PORT/g' | sort | uniq -c | sort -rn | head -4 | sed 's/^/    /'
  done
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); 3 hosts x $checks checks, -j $conc, MaxSessions $maxsessions, slow=$slow"
for r in $(seq 1 "$rounds"); do run channel idle; run shell idle; done
report idle
for b in $(seq 1 "$burners"); do timeout 120 sh -c 'while :; do :; done' & burner_pids+=($!); done
sleep 3
echo "# burners: $burners, load now $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do run channel load; run shell load; done
echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
report load
