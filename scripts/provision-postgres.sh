#!/usr/bin/env bash
# A throwaway PostgreSQL for tests: Debian's postgresql package (installed if missing), a fresh cluster in a
# temp folder, listening on 127.0.0.1 only, trust auth (loopback, test data only).
#   provision-postgres.sh start [PORT]   prints: <database URL> <data dir>
#   provision-postgres.sh stop DATA_DIR
set -euo pipefail

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "provision-postgres: installing Debian's postgresql package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

# initdb and postgres refuse to run as root: use the package's postgres user (or a dedicated one).
as_owner() {
  if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  runuser -u postgres -- "$@"
}

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

case "${1:-}" in
  start)
    bin=$(find_bin)
    port=${2:-$(free_port)}
    dir=$(mktemp -d /tmp/bridge-pg-XXXXXX)
    chmod 700 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir" 2>/dev/null || true
    as_owner "$bin/initdb" -D "$dir/data" -U bridge --auth=trust -E UTF8 >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U bridge bridge
    echo "postgres://bridge@127.0.0.1:$port/bridge $dir"
    ;;
  stop)
    bin=$(find_bin)
    as_owner "$bin/pg_ctl" -D "${2:?data dir}/data" -m fast -w stop >/dev/null || true
    rm -rf "${2:?}"
    ;;
  *)
    echo "usage: $0 start [PORT] | stop DATA_DIR" >&2
    exit 2
    ;;
esac
