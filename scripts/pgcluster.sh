#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests and benchmarks: made with
# initdb in DIR, started with pg_ctl on 127.0.0.1 and a socket in DIR,
# never a system service.  PostgreSQL refuses to run as root, so as root
# the cluster runs as the `postgres` system user (Debian's package makes
# it); DIR's parent folders must let that user through.
#   scripts/pgcluster.sh start DIR   prints the URL of database scoracle
#   scripts/pgcluster.sh stop DIR
set -euo pipefail
cmd=${1:?usage: pgcluster.sh start|stop DIR}
dir=${2:?usage: pgcluster.sh start|stop DIR}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "pgcluster: PostgreSQL is not installed (scripts/deps.sh installs" \
       "the postgresql package)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A free loopback port: the kernel's pick, released for the server.
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket();
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  mkdir -p "$dir"
  chmod 711 "$dir"
  mkdir -p "$dir/data" "$dir/sock"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/data" "$dir/sock"
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust \
    -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2; exit 1; }
  local port
  port=$(free_port)
  # Durable commits (fsync on) as in production; room for three
  # replicas' pools and the tests' own connections.
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/sock/server.log" -w \
    -t 60 -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 \
-c max_connections=400 -c shared_buffers=64MB" start >/dev/null || {
    cat "$dir/sock/server.log" >&2; exit 1; }
  as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres scoracle
  echo "postgresql://postgres@127.0.0.1:$port/scoracle" >"$dir/url"
  cat "$dir/url"
}

stop() {
  [ -d "$dir/data" ] || return 0
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ||
    true
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "pgcluster: unknown command $cmd" >&2; exit 2 ;;
esac
