#!/usr/bin/env bash
# Creates the cluster on first start (user, password, database from POSTGRES_*), then runs PostgreSQL in the
# foreground as PID 1, so that `docker stop` (SIGINT, the image's STOPSIGNAL) is a clean fast shutdown.
set -Eeuo pipefail
: "${PGDATA:=/var/lib/postgresql/data}"
user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  [[ -n "${POSTGRES_PASSWORD:-}" ]] || { echo "hpsearch-postgres: set POSTGRES_PASSWORD" >&2; exit 1; }
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  if [[ "$db" != postgres ]]; then
    echo "CREATE DATABASE \"$db\"" | postgres --single -D "$PGDATA" -j postgres >/dev/null
  fi
  echo "hpsearch-postgres: created the cluster in $PGDATA (user $user, database $db)"
fi

if [[ "${1:-}" == postgres || "${1:-}" == -* ]]; then
  [[ "${1:-}" == postgres ]] && shift
  exec postgres -D "$PGDATA" "$@"
fi
exec "$@"
