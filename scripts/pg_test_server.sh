#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (issue 14, part 3).
#
#   scripts/pg_test_server.sh start DIR   # installs PostgreSQL from Debian's packages if missing (root +
#                                         # apt), initdb's a cluster in DIR, starts it on 127.0.0.1 on a
#                                         # free port (socket in DIR), creates database chainatlas_test and
#                                         # prints its URL over the socket
#                                         # (postgresql://USER@/chainatlas_test?host=DIR&port=PORT)
#   scripts/pg_test_server.sh stop DIR    # stops it and removes DIR
#
# initdb refuses to run as root: as root the cluster belongs to the user `nobody`.  Every message goes to
# stderr; stdout is only the URL, so `URL=$(scripts/pg_test_server.sh start "$DIR")` works.  Exit code 1
# (and no URL) when no server could be started — the PostgreSQL tests are then skipped with that reason.
set -uo pipefail

action=${1:-}
dir=${2:-}
if [[ -z "$action" || -z "$dir" ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

log() { echo "pg_test_server: $*" >&2; }

find_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; return 0; fi
  done
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"; return 0
  fi
  return 1
}

as_owner() {  # run a command as the cluster's owner (nobody when we are root)
  if [[ $(id -u) -eq 0 ]]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u nobody -- "$@"; else su -s /bin/sh nobody -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

case "$action" in
  start)
    bindir=$(find_bindir)
    if [[ -z "$bindir" ]]; then
      if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        log "installing postgresql (+contrib for pg_trgm) from Debian's packages"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-contrib >&2 \
          || { DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 \
               && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-contrib >&2; }
        bindir=$(find_bindir)
      fi
    fi
    if [[ -z "$bindir" ]]; then
      log "no PostgreSQL binaries (initdb, pg_ctl) and cannot install them (needs root and apt-get)"
      exit 1
    fi
    mkdir -p "$dir" || exit 1
    dir=$(cd "$dir" && pwd)
    chmod 0777 "$dir"  # the owner (nobody) writes its socket and log here
    if [[ $(id -u) -eq 0 ]]; then chown nobody "$dir" 2>/dev/null || true; fi
    user=$(as_owner id -un)
    if ! as_owner "$bindir/initdb" -D "$dir/data" -U "$user" -A trust -E UTF8 --locale=C.UTF-8 --lc-collate=C \
         >"$dir/initdb.log" 2>&1; then
      if ! as_owner "$bindir/initdb" -D "$dir/data" -U "$user" -A trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
        log "initdb failed:"; tail -n 20 "$dir/initdb.log" >&2; exit 1
      fi
    fi
    py=$(command -v python3 || command -v python || echo "$(dirname "$0")/../.venv/bin/python")
    port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
           || echo $((20000 + RANDOM % 20000)))
    opts="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off"
    opts+=" -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 -c shared_buffers=64MB"
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 60 start >&2; then
      log "the server did not start:"; tail -n 20 "$dir/server.log" >&2; exit 1
    fi
    echo "$bindir" >"$dir/bindir"
    if ! as_owner "$bindir/createdb" -h "$dir" -p "$port" -U "$user" chainatlas_test >&2; then
      log "createdb failed"; as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >&2; exit 1
    fi
    # the Unix socket: a third less time per statement than TCP on loopback (the server listens on both)
    echo "postgresql://$user@/chainatlas_test?host=$dir&port=$port"
    ;;
  stop)
    if [[ -f "$dir/bindir" && -d "$dir/data" ]]; then
      as_owner "$(cat "$dir/bindir")/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
