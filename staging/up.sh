#!/usr/bin/env bash
# Bring up, on loopback, a small stack shaped like the TRIA deployment, in the BROKEN state the
# readiness plan (seeds/000_d93a0b37cec48667.txt) describes:
#   - ChromaDB not initialised (the knowledge base was never built)
#   - /metrics, /docs and /openapi.json answer 404 behind nginx (no routes to the backend)
#   - the systemd unit has no Restart=always
#   - no health-check cron
# Parts: nginx in front (STAGING_HTTP_PORT), the backend (backend.py, STAGING_BACKEND_PORT), an
# OpenSSH sshd as "the server" (STAGING_SSH_PORT; its / is $STATE/srv, see TRIA_ROOT), the real
# PostgreSQL (database STAGING_DB, products and outlets) and the real Redis.
# Writes $STATE/targets.yaml (target "staging") for tria-ready. Idempotent. Needs root, openssh-server, nginx.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
STATE=${STAGING_STATE:-/tmp/tria-staging}
SSH_PORT=${STAGING_SSH_PORT:-2422}
HTTP_PORT=${STAGING_HTTP_PORT:-8090}
BACKEND_PORT=${STAGING_BACKEND_PORT:-8091}
DB=${STAGING_DB:-tria_staging}
REDIS_PORT=${STAGING_REDIS_PORT:-6379}
SRV=$STATE/srv

die() { echo "staging/up.sh: ERROR: $*" >&2; STAGING_STATE=$STATE "$here/down.sh" >/dev/null 2>&1 || true; exit 1; }
trap 'die "command failed at line $LINENO"' ERR
for bin in /usr/sbin/sshd /usr/sbin/nginx ssh-keygen python3 psql redis-cli curl; do
  command -v "$bin" >/dev/null || die "$bin missing (apt-get install openssh-server nginx postgresql-client redis-tools curl python3)"
done
STAGING_STATE=$STATE STAGING_DB=$DB "$here/down.sh" >/dev/null 2>&1 || true
for port in $SSH_PORT $HTTP_PORT $BACKEND_PORT; do
  ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null || die "port $port is already in use"
done
pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL is not up on 127.0.0.1:5432"
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null || die "Redis is not up on 127.0.0.1:$REDIS_PORT"

mkdir -p "$STATE"/{ssh,home,run,log,bin,nginx/tmp}
chmod 755 "$STATE"
rm -rf "$SRV"
cp -a "$here/files/srv" "$SRV"
cp "$here/bin/"* "$STATE/bin/"
mkdir -p "$SRV"/etc/{systemd/system,cron.d,nginx/sites-available,nginx/snippets} "$SRV"/opt/tria/data/chromadb "$SRV"/var/log/tria "$SRV"/opt/tria/monitoring
cp /etc/skel/.bashrc /etc/skel/.profile "$STATE/home/"

# --- the server tree, broken as the plan found it -------------------------------------------
cat > "$SRV/etc/systemd/system/tria-aibpo.service" <<UNIT
[Unit]
Description=TRIA AIBPO backend
After=network.target

[Service]
User=root
WorkingDirectory=$SRV/opt/tria
ExecStart=/usr/bin/python3 $here/backend.py --port $BACKEND_PORT --root $SRV --redis-port $REDIS_PORT

[Install]
WantedBy=multi-user.target
UNIT
chmod 644 "$SRV/etc/systemd/system/tria-aibpo.service"
cat > "$SRV/opt/tria/.env" <<ENV
DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB
OPENAI_API_KEY=sk-staging-not-a-real-key
TAX_RATE=0.09
XERO_SALES_ACCOUNT_CODE=200
XERO_TAX_TYPE=OUTPUT2
REDIS_HOST=127.0.0.1
REDIS_PORT=$REDIS_PORT
ENV
chmod 600 "$SRV/opt/tria/.env"
# Xero was connected through the browser flow last week: its token is fresh (not one of the plan's problems)
echo "{\"expires_at\": $(( $(date +%s) + 50 * 86400 ))}" > "$SRV/opt/tria/data/xero_tokens.json"
cat > "$SRV/opt/tria/scripts/healthcheck.sh" <<'HC'
#!/bin/bash
response=$(curl -s -o /dev/null -w "%{http_code}" "${HEALTH_URL:-http://127.0.0.1/health}")
if [ "$response" != "200" ]; then echo "Health check failed: $response"; systemctl restart tria-aibpo; fi
HC
chmod +x "$SRV/opt/tria/scripts/healthcheck.sh"
# nginx site: the catch-all answers 404 for everything the frontend does not know (no monitoring routes)
cat > "$SRV/etc/nginx/sites-available/tria-aibpo.conf" <<SITE
server {
  listen 127.0.0.1:$HTTP_PORT;
  location = /health { proxy_pass http://127.0.0.1:$BACKEND_PORT/health; }
  location /api/ { proxy_pass http://127.0.0.1:$BACKEND_PORT; proxy_set_header X-Real-IP \$remote_addr; }
  location / { default_type text/html; return 404 '<html><body>404: This page could not be found.</body></html>'; }
}
SITE
cat > "$STATE/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $STATE/run/nginx.pid;
error_log $STATE/log/nginx-error.log;
events { worker_connections 256; }
http {
  access_log $STATE/log/nginx-access.log;
  client_body_temp_path $STATE/nginx/tmp/body;
  proxy_temp_path $STATE/nginx/tmp/proxy;
  fastcgi_temp_path $STATE/nginx/tmp/fastcgi;
  uwsgi_temp_path $STATE/nginx/tmp/uwsgi;
  scgi_temp_path $STATE/nginx/tmp/scgi;
  include $SRV/etc/nginx/sites-available/*.conf;
}
NGINX

# --- sshd: "the server"; sessions see the staging tools and know where their / is -------------
k=$STATE/ssh
rm -f "$k"/ssh_host_ed25519_key* "$k"/id_ed25519* "$k"/known_hosts   # a fresh stack gets fresh keys
ssh-keygen -q -t ed25519 -N '' -C tria-staging-host -f "$k/ssh_host_ed25519_key"
ssh-keygen -q -t ed25519 -N '' -C tria-staging-client -f "$k/id_ed25519"
cp "$k/id_ed25519.pub" "$k/authorized_keys"
echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$k/ssh_host_ed25519_key.pub")" > "$k/known_hosts"
cat > "$k/sshd_config" <<SSHD
ListenAddress 127.0.0.1:$SSH_PORT
HostKey $k/ssh_host_ed25519_key
PidFile $STATE/run/sshd.pid
AuthorizedKeysFile $k/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
SetEnv HOME=$STATE/home PATH=$STATE/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TRIA_STAGING=$STATE TRIA_ROOT=$SRV
SSHD
mkdir -p /run/sshd
/usr/sbin/sshd -t -f "$k/sshd_config" || die "sshd config test failed"
/usr/sbin/sshd -f "$k/sshd_config" -E "$STATE/log/sshd.log" || die "sshd failed to start"

# --- services ----------------------------------------------------------------------------------
export TRIA_STAGING=$STATE TRIA_ROOT=$SRV PATH=$STATE/bin:$PATH
systemctl start tria-aibpo
nginx -t -q || die "nginx config test failed"
nginx || die "nginx failed to start"

# --- PostgreSQL: the data the plan checks (every product has an embedding; outlets exist) -------
psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $DB" >/dev/null
psql -q -h 127.0.0.1 -U postgres -d "$DB" >/dev/null <<SQL
CREATE TABLE products (id serial PRIMARY KEY, name text NOT NULL, price numeric(10,2), embedding text);
CREATE TABLE outlets (id serial PRIMARY KEY, name text NOT NULL, city text NOT NULL);
CREATE TABLE orders (id serial PRIMARY KEY, outlet_id int REFERENCES outlets(id), created_at timestamptz DEFAULT now());
INSERT INTO products (name, price, embedding) VALUES ('Kaya toast', 2.50, '[0.1,0.2]'), ('Kopi O', 1.20, '[0.3,0.1]'), ('Nasi lemak', 4.80, '[0.5,0.4]');
INSERT INTO outlets (name, city) VALUES ('Orchard', 'Singapore'), ('Tampines', 'Singapore'), ('Jurong', 'Singapore');
SQL

cat > "$STATE/targets.yaml" <<YAML
# Written by staging/up.sh: the staging stack as a tria-ready target.
targets:
  staging:
    ssh: {host: 127.0.0.1, port: $SSH_PORT, user: root, identity: "$k/id_ed25519", known_hosts: "$k/known_hosts", ssh_config: none}
    http: {base_url: "http://127.0.0.1:$HTTP_PORT"}
    postgres: {url: "jdbc:postgresql://127.0.0.1:5432/$DB", user: postgres}
    redis: {url: "redis://127.0.0.1:$REDIS_PORT"}
    vars:
      root: "$SRV"               # the staging server's / (paths in the playbook are \${root}/etc/...)
      backend_url: "http://127.0.0.1:$BACKEND_PORT"
YAML
cat > "$STATE/staging.env" <<ENVF
STAGING_STATE=$STATE
STAGING_SSH_PORT=$SSH_PORT
STAGING_HTTP_PORT=$HTTP_PORT
STAGING_BACKEND_PORT=$BACKEND_PORT
STAGING_DB=$DB
ENVF

for _ in $(seq 50); do curl -fsS -m 1 "http://127.0.0.1:$HTTP_PORT/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS -m 2 "http://127.0.0.1:$HTTP_PORT/health" >/dev/null || die "GET /health through nginx failed (see $STATE/log, $STATE/run/tria-aibpo.log)"
ssh -p "$SSH_PORT" -i "$k/id_ed25519" -o IdentitiesOnly=yes -o UserKnownHostsFile="$k/known_hosts" -o BatchMode=yes root@127.0.0.1 true \
  || die "ssh login failed (see $STATE/log/sshd.log)"
echo "staging up (broken, as the plan found it): http://127.0.0.1:$HTTP_PORT  ssh root@127.0.0.1:$SSH_PORT  db $DB"
echo "  inventory: $STATE/targets.yaml (target: staging)"
