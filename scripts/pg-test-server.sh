#!/usr/bin/env bash
# Throwaway PostgreSQL for tests: `start STATE_DIR` initializes a cluster in a temp dir owned by
# user postgres (initdb refuses root), starts it on a random free port on 127.0.0.1 and writes
# the connection URL to STATE_DIR/pg_url; `stop STATE_DIR` stops it and removes everything.
# Used by CTest fixtures (tests/integration/CMakeLists.txt); works as root or as user postgres.
set -euo pipefail
cmd=${1:?start|stop}
state=${2:?state dir}
mkdir -p "$state"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ]; then echo "pg-test-server: PostgreSQL server binaries not found (run scripts/install-deps.sh)" >&2; exit 1; fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
  start)
    if [ -f "$state/pg_dir" ] && [ -d "$(cat "$state/pg_dir")" ]; then "$0" stop "$state" || true; fi
    dir=$(mktemp -d /tmp/cg-pgtest.XXXXXX)
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
    echo "$dir" >"$state/pg_dir"
    as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
    for attempt in 1 2 3 4 5; do
      port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
      if as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
          -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
          start >/dev/null; then
        echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$state/pg_url"
        echo "pg-test-server: started on port $port ($dir)"
        exit 0
      fi
    done
    echo "pg-test-server: could not start PostgreSQL; log follows" >&2; cat "$dir/server.log" >&2 || true; exit 1
    ;;
  stop)
    if [ -f "$state/pg_dir" ]; then
      dir=$(cat "$state/pg_dir")
      as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
      rm -rf "$dir"
      rm -f "$state/pg_dir" "$state/pg_url"
    fi
    echo "pg-test-server: stopped"
    ;;
  *) echo "usage: $0 start|stop STATE_DIR" >&2; exit 2 ;;
esac
