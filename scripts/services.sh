#!/usr/bin/env bash
# Make sure the services the test suite talks to are installed and running:
# PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (Debian packages),
# plus Chromium (browser tests) and nginx (routing tests). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_ok() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; }
redis_ok() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

# --- PostgreSQL --------------------------------------------------------------
if ! pg_ok; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql postgresql-contrib
  if ! pg_ok && ls /etc/postgresql/*/main >/dev/null 2>&1; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start 2>/dev/null || true
    sleep 1
  fi
  if ! pg_ok; then
    # A cluster of our own with trust auth on loopback and a UTF-8 ctype
    # (pg_trgm makes no Hangul trigrams under plain C).
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    data=/var/tmp/moochu-pg
    if [ ! -f "$data/PG_VERSION" ]; then
      as_root mkdir -p "$data" && as_root chown postgres:postgres "$data"
      as_root su postgres -c "$bin/initdb -D $data -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
    fi
    as_root su postgres -c "$bin/pg_ctl -D $data -l $data/server.log -w start -o '-p 5432 -c listen_addresses=127.0.0.1'" >/dev/null
  fi
fi
pg_ok || { echo "PostgreSQL is not reachable on 127.0.0.1:5432 as user postgres" >&2; exit 1; }

# --- Redis -------------------------------------------------------------------
if ! redis_ok; then
  command -v redis-server >/dev/null || apt_install redis-server
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no \
    --dir /tmp --logfile /tmp/moochu-redis.log
  for _ in $(seq 50); do redis_ok && break; sleep 0.1; done
fi
redis_ok || { echo "Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }

# --- Browser and proxy for the end-to-end tests ------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi nanum || missing+=(fonts-nanum)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
echo "services ready: postgresql 127.0.0.1:5432, redis 127.0.0.1:6379, chromium, nginx"
