#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server on a loopback port.
#   scripts/with-postgres.sh make test
# Starts initdb'd data in a temp dir (as the postgres system user, since
# PostgreSQL refuses to run as root), exports DATABASE_URL, runs the command,
# and always stops the server and removes the data afterwards.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
# A free loopback port unless one is given, so two runs on one machine never share
# a server (pytest-django's test database would be created and dropped under both).
PORT=${BACKSTRIDE_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
if [ ! -x "$PGBIN/initdb" ]; then
  PGBIN=$(dirname "$(command -v initdb)")
fi

dir=$(mktemp -d /tmp/backstride-pg.XXXXXX)
as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi
}
cleanup() {
  as_pg "$PGBIN/pg_ctl -D $dir/data -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] && chown postgres "$dir"
as_pg "$PGBIN/initdb -D $dir/data -A trust -U backstride" >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log"; exit 1; }
as_pg "$PGBIN/pg_ctl -D $dir/data -o '-p $PORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=off' -l $dir/log -w start" >/dev/null \
  || { cat "$dir/log"; exit 1; }

export DATABASE_URL="postgresql://backstride@127.0.0.1:$PORT/postgres"
echo "with-postgres: PostgreSQL on 127.0.0.1:$PORT"
"$@"
