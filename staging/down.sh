#!/usr/bin/env bash
# Stop everything staging/up.sh started (by PID) and drop its database. Keeps logs in $STATE/log.
set -uo pipefail
STATE=${STAGING_STATE:-/tmp/tria-staging}
[ -f "$STATE/staging.env" ] && . "$STATE/staging.env"
DB=${STAGING_DB:-tria_staging}
for pidfile in "$STATE"/run/*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile" 2>/dev/null) && kill "$pid" 2>/dev/null
  rm -f "$pidfile"
done
sleep 0.2
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
rm -rf "$STATE/srv" "$STATE/bin"
exit 0
