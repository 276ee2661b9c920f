#!/usr/bin/env bash
# Run the 40-check suite with tria-ready against the running bench target, as the peers'
# run.sh do: the target comes from $TRIA_STATE/target.env (written by ../shared/bench/target/up.sh).
# TRIA_READY_EXEC=shell runs the SSH checks on lanes (the opt-in fast mode) instead of the default
# exec channels. Prints "35 passed, 5 failed: C13 C16 C26 C31 C37" and exits 1 (not ready), like the peers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
shared=${TRIA_BENCH:-$repo/../shared/bench}
. "$shared/peers/common.sh"
state=$(mktemp -d /tmp/tria-ready-bench.XXXXXX)
trap 'rm -rf "$state"' EXIT
cat > "$state/targets.yaml" <<YAML
targets:
  bench:
    ssh: {host: "$TRIA_HOST", port: $TRIA_SSH_PORT, user: root, identity: "$TRIA_SSH_KEY", known_hosts: "$TRIA_KNOWN_HOSTS", ssh_config: none${TRIA_READY_EXEC:+, exec: $TRIA_READY_EXEC}}
    http: {base_url: "http://$TRIA_HOST:$TRIA_HTTP_PORT"}
    vars: {srv: "$TRIA_SRV", host_addr: "$TRIA_HOST"}
YAML
rc=0
TRIA_READY_STORE="$state/store" "$repo/tria-ready" audit -p "$here/suite.yaml" -i "$state/targets.yaml" -t bench -f summary ${TRIA_READY_ARGS:-} || rc=$?
exit $rc
