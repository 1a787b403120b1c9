#!/usr/bin/env bash
# A throwaway local PostgreSQL 15 for development and tests (DESIGN.md "Scale-out"): initdb on a folder of its own,
# listening on loopback only, trust authentication, durability off (fsync=off: a crash loses the cluster, which is
# the point of a throwaway one). CI starts its test cluster through this same script (.ci/run).
#
#   scripts/postgres-dev.sh start [--dir DIR] [--port PORT]   start (or find running) a cluster with a `safestream`
#                                                             database; prints its Npgsql connection string and
#                                                             its URL on stdout, one per line
#   scripts/postgres-dev.sh env   [--dir DIR] [--port PORT]   start as above if needed, then print
#                                                             `export SAFESTREAM_TEST_POSTGRES=...` for the tests:
#                                                             eval "$(scripts/postgres-dev.sh env)" && dotnet test
#   scripts/postgres-dev.sh status [--dir DIR]                says whether it runs and where; exit 1 if it does not
#   scripts/postgres-dev.sh stop  [--dir DIR] [--keep]        stop it and delete the folder (--keep: keep the data
#                                                             for a later start)
#
# DIR defaults to /tmp/safestream-pg-$(id -u); PORT defaults to the port the folder last used if it is still free,
# else a free one. Every command is idempotent: start on a running cluster prints it again, stop on a stopped or
# missing one succeeds. The tests' contract: SAFESTREAM_TEST_POSTGRES=Host=127.0.0.1;Port=PORT;Username=postgres
# (no database: each test class creates its own, the `postgres` role is a superuser).
#
# Runs as a normal user (initdb and the server run as you) or as root (they run as the `postgres` user through
# runuser, created if missing, since initdb refuses root). Installs postgresql-15 with apt-get if it is missing
# (through sudo when not root) and removes the `main` cluster that the package creates, so nothing is left
# listening on 5432. Messages go to stderr; only connection strings go to stdout.
set -euo pipefail

readonly PG_MAJOR=15
readonly PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
readonly MARKER=".safestream-postgres" # marks a folder this script made, so stop never deletes anything else
readonly DATABASE=safestream

say() { printf 'postgres-dev: %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@";
  elif command -v sudo >/dev/null 2>&1; then sudo "$@";
  else die "need root for: $* (run it as root, or install sudo)"; fi
}

# The cluster's owner: you, or `postgres` when you are root.
run_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_server() {
  [ -x "$PG_BIN/initdb" ] && return 0
  say "PostgreSQL ${PG_MAJOR} is not installed: installing postgresql-${PG_MAJOR} with apt-get"
  local had_main=0
  [ -d "/etc/postgresql/${PG_MAJOR}/main" ] && had_main=1
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-${PG_MAJOR}" >/dev/null
  drop_package_cluster "$had_main"
  [ -x "$PG_BIN/initdb" ] || die "postgresql-${PG_MAJOR} installed, but $PG_BIN/initdb is still missing"
}

# Debian's package creates (and, where services may start, starts) a `main` cluster on port 5432; a throwaway
# setup has no use for it. Only a cluster that the install just made is dropped.
drop_package_cluster() {
  local had_main=$1
  if [ "$had_main" = 0 ] && [ -d "/etc/postgresql/${PG_MAJOR}/main" ] && command -v pg_dropcluster >/dev/null 2>&1; then
    say "removing the ${PG_MAJOR}/main cluster that the package created"
    as_root pg_dropcluster --stop "$PG_MAJOR" main || say "could not remove it; it is harmless (we use our own port)"
  fi
}

ensure_owner_account() {
  [ "$(id -u)" = 0 ] || return 0
  id postgres >/dev/null 2>&1 && return 0
  say "creating the system user postgres (initdb refuses to run as root)"
  if getent group postgres >/dev/null 2>&1; then
    useradd --system --gid postgres --home-dir /var/lib/postgresql --no-create-home --shell /bin/sh postgres
  else
    useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home --shell /bin/sh postgres
  fi
}

# 0 if something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    ss -Htln "sport = :$1" 2>/dev/null | grep -q .
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

free_port() {
  local port tries
  for tries in $(seq 1 50); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  die "found no free port after $tries tries"
}

# The port of the running postmaster (line 4 of postmaster.pid), empty when none runs.
running_port() {
  local dir=$1
  [ -f "$dir/data/postmaster.pid" ] || return 0
  run_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 || return 0
  sed -n 4p "$dir/data/postmaster.pid"
}

# The port the folder's cluster was last started on, empty if none.
last_port() { sed -n 's/^port = \([0-9]*\)$/\1/p' "$1/data/port.conf" 2>/dev/null || true; }

npgsql_string() { printf 'Host=127.0.0.1;Port=%s;Username=postgres%s\n' "$1" "${2:+;Database=$2}"; }
url_string() { printf 'postgresql://postgres@127.0.0.1:%s/%s\n' "$1" "$2"; }

init_cluster() {
  local dir=$1
  if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] && [ ! -f "$dir/$MARKER" ]; then
    die "$dir exists and is not empty: give an empty or new folder with --dir"
  fi
  # The server's Unix socket lives in DIR, and a socket path has at most 107 bytes.
  [ "${#dir}" -le 90 ] || die "$dir is too long for the server's socket path: pick a shorter folder"
  mkdir -p "$dir"
  touch "$dir/$MARKER"
  rm -rf -- "$dir/data" # what an interrupted initdb left
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres: "$dir"
    runuser -u postgres -- test -w "$dir" ||
      die "the postgres user cannot write to $dir (a parent folder is closed to it?): use a folder under /tmp"
  fi
  say "initdb in $dir/data"
  if ! run_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed (log above, also in $dir/initdb.log)"
  fi
  # Settings for a throwaway test cluster. The port lives in port.conf, rewritten before each start, so a stopped
  # folder may come back on another port and a plain `pg_ctl start`/`restart` keeps the current one.
  run_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# --- scripts/postgres-dev.sh: a throwaway cluster for development and tests ---
include_if_exists = 'port.conf'
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 300          # many test classes, each with its own database and pool
shared_buffers = 128MB
fsync = off                    # durability is not wanted here; never copy this to a real server
synchronous_commit = off
full_page_writes = off
max_wal_size = 1GB
log_min_messages = warning
log_connections = off
EOF
}

start_cluster() {
  local dir=$1 want_port=$2 port running attempt
  install_server
  ensure_owner_account
  [ -f "$dir/data/PG_VERSION" ] || init_cluster "$dir"
  [ -f "$dir/$MARKER" ] || die "$dir/data is a cluster this script did not make; not touching it"

  running=$(running_port "$dir")
  if [ -n "$running" ]; then
    if [ -n "$want_port" ] && [ "$want_port" != "$running" ]; then
      die "the cluster in $dir already runs on port $running, not $want_port (stop it first)"
    fi
    say "already running in $dir on port $running"
    ensure_database "$dir" "$running"
    print_strings "$dir" "$running"
    return 0
  fi

  for attempt in 1 2 3 4 5; do
    if [ -n "$want_port" ]; then
      port=$want_port
      port_in_use "$port" && die "port $port is taken on 127.0.0.1"
    elif [ "$attempt" = 1 ] && [ -n "$(last_port "$dir")" ] && ! port_in_use "$(last_port "$dir")"; then
      port=$(last_port "$dir")
    else
      port=$(free_port)
    fi
    say "starting PostgreSQL ${PG_MAJOR} in $dir on 127.0.0.1:$port"
    printf 'port = %s\n' "$port" | run_owner tee "$dir/data/port.conf" >/dev/null
    # The server must not inherit our stdin, stdout or stderr: a caller reading them to the end (a test harness)
    # would wait for as long as the server runs.
    if run_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start </dev/null >/dev/null 2>>"$dir/pg_ctl.log"; then
      ensure_database "$dir" "$port"
      print_strings "$dir" "$port"
      return 0
    fi
    # Someone may have taken a free port between the check and the bind: try another, unless it was chosen.
    if [ -z "$want_port" ] && grep -q "could not bind\|Address already in use" "$dir/postgres.log" 2>/dev/null; then
      say "port $port was taken meanwhile; trying another"
      continue
    fi
    break
  done
  tail -n 20 "$dir/postgres.log" >&2 2>/dev/null || true
  die "PostgreSQL did not start (log above, also in $dir/postgres.log)"
}

ensure_database() {
  local dir=$1 port=$2
  local psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres -tA)
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE $DATABASE" >/dev/null || die "could not create the $DATABASE database"
  fi
}

print_strings() {
  local dir=$1 port=$2
  say "psql: $PG_BIN/psql -h 127.0.0.1 -p $port -U postgres $DATABASE    stop: $0 stop --dir $dir"
  npgsql_string "$port" "$DATABASE"
  url_string "$port" "$DATABASE"
}

stop_cluster() {
  local dir=$1 keep=$2
  if [ ! -e "$dir" ] || { [ -d "$dir" ] && [ -z "$(ls -A "$dir")" ]; }; then
    say "nothing in $dir: already stopped"
    return 0
  fi
  [ -f "$dir/$MARKER" ] || die "$dir was not made by this script; not touching it"
  if [ -f "$dir/data/postmaster.pid" ] && run_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    say "stopping the cluster in $dir"
    run_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null ||
      run_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null ||
      die "could not stop the cluster in $dir"
  fi
  if [ "$keep" = 1 ]; then
    say "kept $dir (start it again with: $0 start --dir $dir)"
  else
    rm -rf -- "$dir"
    say "removed $dir"
  fi
}

status_cluster() {
  local dir=$1 port
  [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL ${PG_MAJOR} is not installed"
  port=$(running_port "$dir")
  if [ -z "$port" ]; then
    say "not running in $dir"
    return 1
  fi
  say "running in $dir on 127.0.0.1:$port"
  npgsql_string "$port" "$DATABASE"
  url_string "$port" "$DATABASE"
}

main() {
  local cmd=${1:-}
  [ $# -gt 0 ] && shift
  local dir port="" keep=0
  dir="/tmp/safestream-pg-$(id -u)"
  while [ $# -gt 0 ]; do
    case $1 in
      --dir) [ $# -ge 2 ] || die "--dir needs a folder"; dir=$2; shift 2 ;;
      --port) [ $# -ge 2 ] || die "--port needs a number"; port=$2; shift 2 ;;
      --keep) keep=1; shift ;;
      -h | --help) usage 0 ;;
      *) die "unknown argument: $1 (see $0 --help)" ;;
    esac
  done
  if [ -n "$port" ] && ! [[ $port =~ ^[0-9]+$ && $port -ge 1024 && $port -le 65535 ]]; then
    die "--port must be a number from 1024 to 65535, not '$port'"
  fi
  # An absolute path: the folder is named in postgresql.conf and reached from another user's shell.
  case $dir in /*) ;; *) dir="$PWD/$dir" ;; esac
  dir=${dir%/}

  case $cmd in
    start) start_cluster "$dir" "$port" ;;
    env)
      local strings
      strings=$(start_cluster "$dir" "$port")
      port=$(printf '%s\n' "$strings" | sed -n 's/.*;Port=\([0-9]*\);.*/\1/p' | head -n 1)
      printf "export SAFESTREAM_TEST_POSTGRES='%s'\n" "$(npgsql_string "$port" "")"
      ;;
    stop) stop_cluster "$dir" "$keep" ;;
    status) status_cluster "$dir" ;;
    -h | --help | help) usage 0 ;;
    "") usage 2 ;;
    *) die "unknown command: $cmd (start, env, status, stop; see $0 --help)" ;;
  esac
}

main "$@"
