#!/usr/bin/env bash
# A throw-away PostgreSQL server for the player-store tests.
#   postgres.sh start DIR PORT   install Debian's postgresql if missing, initdb in DIR (once), start on 127.0.0.1:PORT
#   postgres.sh stop DIR         stop the server (fast shutdown); DIR is kept so it can start again
#   postgres.sh destroy DIR      stop and delete DIR
# The server runs as the invoking user, or as 'postgres' when invoked as root (PostgreSQL refuses to run as root).
# Connect with Host=127.0.0.1;Port=PORT;Username=skynet;Database=postgres (trust authentication on loopback).
set -euo pipefail

cmd=${1:?usage: postgres.sh start|stop|destroy DIR [PORT]}
dir=${2:?usage: postgres.sh start|stop|destroy DIR [PORT]}

find_bin() {
    local b
    b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$b" ] && [ -x "$b/initdb" ] && echo "$b"
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
    port=${3:?usage: postgres.sh start DIR PORT}
    bin=$(find_bin || true)
    if [ -z "$bin" ]; then
        if [ "$(id -u)" != 0 ]; then echo "postgresql is not installed and installing it needs root" >&2; exit 3; fi
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
        bin=$(find_bin)
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bin/initdb" -D "$dir/data" -U skynet -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 4; }
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >&2 || { cat "$dir/server.log" >&2; exit 5; }
    ;;
stop)
    bin=$(find_bin)
    if [ -f "$dir/data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2; fi
    ;;
destroy)
    "$0" stop "$dir" || true
    rm -rf "$dir"
    ;;
*)
    echo "unknown command $cmd" >&2
    exit 2
    ;;
esac
