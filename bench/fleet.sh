#!/usr/bin/env bash
# Fleet scale: N real sshd instances on loopback ports (one per "host"), the suite's 24 SSH checks
# on every host of one inventory group, timed against the same checks on one host.
# Uses the bench target's keys and server tree (../shared/bench/target/up.sh must have run).
#   usage: bench/fleet.sh [N]     (default 100)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
shared=${TRIA_BENCH:-$repo/../shared/bench}
n=${1:-100}
base=${FLEET_BASE_PORT:-31000}
. "$shared/peers/common.sh"
state=$(mktemp -d /tmp/tria-fleet.XXXXXX)
stop() { for f in "$state"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done; rm -rf "$state"; }
trap stop EXIT
k=$TRIA_STATE/ssh
: > "$state/known_hosts"
for i in $(seq "$n"); do
  port=$((base + i))
  cat > "$state/sshd_$i" <<CFG
ListenAddress 127.0.0.1:$port
HostKey $k/ssh_host_ecdsa_key
PidFile $state/sshd_$i.pid
AuthorizedKeysFile $k/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
SetEnv HOME=$TRIA_STATE/home
# sshd logs a MaxStartups drop only at VERBOSE
LogLevel VERBOSE
CFG
  /usr/sbin/sshd -f "$state/sshd_$i" -E "$state/sshd_$i.log"
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$k/ssh_host_ecdsa_key.pub")" >> "$state/known_hosts"
done
for _ in $(seq 50); do [ "$(ls "$state"/*.pid 2>/dev/null | wc -l)" -ge "$n" ] && break; sleep 0.1; done

inventory() {  # count
  echo "targets:"
  echo "  fleet:"
  echo "    ssh: {host: 127.0.0.1, user: root, identity: \"$TRIA_SSH_KEY\", known_hosts: \"$state/known_hosts\", ssh_config: none, agent: none}"
  echo "    http: {base_url: \"http://$TRIA_HOST:$TRIA_HTTP_PORT\"}"
  echo "    vars: {srv: \"$TRIA_SRV\", host_addr: \"$TRIA_HOST\"}"
  echo "    hosts:"
  for i in $(seq "$1"); do echo "      - {name: h$(printf %03d "$i"), port: $((base + i))}"; done
}
inventory 1 > "$state/one.yaml"
inventory "$n" > "$state/all.yaml"
only=$(seq 17 40 | sed 's/^/C/' | paste -sd, -)
run() {  # label inventory
  /usr/bin/time -f "%e %U %S %M" -o "$state/time" env JAVA_OPTS="${FLEET_JAVA_OPTS:-}" "$repo/tria-ready" audit -p "$here/suite.yaml" -i "$2" -t fleet --only "$only" \
    -f summary --no-store >"$state/out" 2>&1 || true
  grep -q "problems found" "$state/out" && { cat "$state/out" >&2; exit 1; }
  read -r wall user sys rss < <(tail -n 1 "$state/time")
  printf '%-22s wall %6.2f s | cpu %5.2f s | peak %6.1f MiB | %s\n' "$1" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc -l)" "$(tail -n 1 "$state/out" | cut -c1-60)"
}
echo "# $(date -u +%FT%TZ) $(uname -n), $(nproc) cores: 24 SSH checks per host"
run "1 host" "$state/one.yaml"
run "1 host" "$state/one.yaml"
run "$n hosts" "$state/all.yaml"
run "$n hosts" "$state/all.yaml"
logins=$(cat "$state"/sshd_*.log | grep -c "Accepted publickey" || true)
refused=$(cat "$state"/sshd_*.log | grep -ciE "drop connection|MaxStartups|beginning MaxStartups" || true)
echo "# sshd logs: $logins accepted logins over all runs, $refused MaxStartups drops"
