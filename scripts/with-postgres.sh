#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster on a free loopback port, then stops it.
# The command sees PASSERELLE_TEST_PG=postgresql://postgres@127.0.0.1:PORT/postgres.
# As root, the cluster runs as the postgres user (initdb refuses root).
set -uo pipefail
PGBIN=/usr/lib/postgresql/15/bin
dir=$(mktemp -d /tmp/passerelle-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log"; exit 1; }
port=""
for _ in 1 2 3 4 5 6 7 8; do
  try=$((20000 + RANDOM % 20000))
  if "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 20 \
      -o "-p $try -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null 2>&1; then
    port=$try
    break
  fi
done
if [ -z "$port" ]; then echo "with-postgres: could not start PostgreSQL"; cat "$dir/server.log"; exit 1; fi
stop() { "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1; rm -rf "$dir"; }
trap stop EXIT
export PASSERELLE_TEST_PG="postgresql://postgres@127.0.0.1:$port/postgres"
"$@"
