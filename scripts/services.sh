#!/bin/sh
# The server engines for running hfkg past one process: PostgreSQL (search index and ingest store)
# and the Oxigraph SPARQL server (graph), each on loopback with its data in a folder of its own.
#
#   scripts/services.sh start     start both (installing what is missing), print the settings to use
#   scripts/services.sh stop      stop both; their data stays in the folder
#   scripts/services.sh status    say what runs; exit 0 when both run, 3 when not
#
#   eval "$(scripts/services.sh start)"      # sets HFKG_DATABASE_URL and HFKG_GRAPH_ENDPOINT
#
# Settings (environment): HFKG_SERVICES_DIR (default: .services beside this script's folder),
# HFKG_PG_PORT (54329), HFKG_OXIGRAPH_PORT (7879). Only `export` lines go to stdout; everything else
# goes to stderr, so that eval sees nothing but settings.
#
# PostgreSQL comes from Debian's packages (apt-get install postgresql when no server binaries are
# found; needs root or sudo). Its cluster is initialised once in $HFKG_SERVICES_DIR/pg, owned by an
# unprivileged user (the postgres user when run as root), listening on 127.0.0.1 only, with a role
# `hfkg` (password in $HFKG_SERVICES_DIR/pg-password, scram-sha-256) that may create databases.
# The oxigraph server comes from PyPI (the venv's, installed by `make install-test`).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${HFKG_SERVICES_DIR:-$ROOT/.services}
PG_PORT=${HFKG_PG_PORT:-54329}
OX_PORT=${HFKG_OXIGRAPH_PORT:-7879}
VENV=${VENV:-$ROOT/.venv}

say() { echo "services: $*" >&2; }
die() { say "$*"; exit 1; }

pg_bindir() {
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
        if [ -x "$candidate/postgres" ] && [ -x "$candidate/initdb" ]; then
            echo "$candidate"
            return 0
        fi
    done
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/postgres" ]; then
        pg_config --bindir
        return 0
    fi
    return 1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run: $*"
    fi
}

install_postgres() {
    command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL server found and no apt-get to install one"
    say "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq >&2
    as_root apt-get install -y -qq --no-install-recommends postgresql >&2
}

# The user the cluster runs as: PostgreSQL refuses to run as root.
PG_USER=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
    PG_USER=postgres
fi

as_pg() {
    if [ "$(id -un)" = "$PG_USER" ]; then
        "$@"
    else
        runuser -u "$PG_USER" -- "$@"
    fi
}

# Where the cluster lives: $DIR, unless the cluster's user cannot reach it (a checkout in a private
# folder such as mktemp -d's, or a umask of 077): then a folder of its own under /var/tmp, named after $DIR.
cluster_home() {
    mkdir -p "$DIR"
    chmod go+rx "$DIR" 2>/dev/null || true
    if as_pg test -x "$DIR" -a -r "$DIR" 2>/dev/null; then
        PGH=$DIR
    else
        PGH=/var/tmp/hfkg-services-$(printf %s "$DIR" | cksum | cut -d' ' -f1)
        mkdir -p "$PGH"
        chmod 755 "$PGH"
    fi
}

pg_running() {
    [ -f "$PGH/pg/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$PGH/pg" status >/dev/null 2>&1
}

start_postgres() {
    BIN=$(pg_bindir) || { install_postgres; BIN=$(pg_bindir) || die "PostgreSQL was installed but no server binaries were found"; }
    if [ "$(id -u)" -eq 0 ] && ! id "$PG_USER" >/dev/null 2>&1; then
        install_postgres  # the package creates the postgres user
    fi
    cluster_home
    if [ ! -f "$DIR/pg-password" ]; then
        (umask 077 && head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/pg-password")
    fi
    PASSWORD=$(cat "$DIR/pg-password")
    if [ ! -f "$PGH/pg/PG_VERSION" ]; then
        say "initialising a PostgreSQL cluster in $PGH/pg"
        mkdir -p "$PGH/pg" "$PGH/pg-run"
        if [ "$(id -u)" -eq 0 ]; then
            chown "$PG_USER" "$PGH/pg" "$PGH/pg-run"
        fi
        chmod 700 "$PGH/pg"
        as_pg "$BIN/initdb" -D "$PGH/pg" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! pg_running; then
        [ "$(id -u)" -eq 0 ] && chown "$PG_USER" "$PGH/pg-run"
        as_pg "$BIN/pg_ctl" -D "$PGH/pg" -l "$PGH/pg-run/server.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PGH/pg-run -c max_connections=200" >/dev/null \
            || die "PostgreSQL did not start; see $PGH/pg-run/server.log"
    fi
    # The role and database hfkg uses (idempotent), through the cluster's own socket.
    as_pg "$BIN/psql" -q -h "$PGH/pg-run" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT 'CREATE ROLE hfkg LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hfkg')\gexec
ALTER ROLE hfkg PASSWORD '$PASSWORD';
-- DROP DATABASE … WITH (FORCE) of a test's database may have to stop an autovacuum worker in it.
GRANT pg_signal_backend TO hfkg;
SELECT 'CREATE DATABASE hfkg OWNER hfkg' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'hfkg')\gexec
SQL
    say "PostgreSQL runs on 127.0.0.1:$PG_PORT (data in $PGH/pg)"
    echo "export HFKG_DATABASE_URL=postgresql://hfkg:$PASSWORD@127.0.0.1:$PG_PORT/hfkg"
}

oxigraph_binary() {
    if [ -x "$VENV/bin/oxigraph" ]; then
        echo "$VENV/bin/oxigraph"
    elif command -v oxigraph >/dev/null 2>&1; then
        command -v oxigraph
    else
        return 1
    fi
}

ox_running() {
    [ -f "$DIR/oxigraph.pid" ] && kill -0 "$(cat "$DIR/oxigraph.pid")" 2>/dev/null
}

start_oxigraph() {
    OXIGRAPH=$(oxigraph_binary) || {
        [ -x "$VENV/bin/pip" ] || die "no oxigraph server and no venv at $VENV to install it into (make install-test)"
        say "installing the oxigraph server from PyPI into $VENV"
        "$VENV/bin/pip" install --quiet --disable-pip-version-check 'oxigraph>=0.4,<0.6' >&2
        OXIGRAPH=$(oxigraph_binary) || die "the oxigraph server was installed but not found"
    }
    mkdir -p "$DIR/oxigraph"
    if ! ox_running; then
        nohup "$OXIGRAPH" serve --location "$DIR/oxigraph" --bind "127.0.0.1:$OX_PORT" --union-default-graph \
            >"$DIR/oxigraph.log" 2>&1 </dev/null &
        echo $! >"$DIR/oxigraph.pid"
        tries=0
        until curl -fsS -o /dev/null "http://127.0.0.1:$OX_PORT/query?query=ASK%7B%7D" 2>/dev/null; do
            tries=$((tries + 1))
            if [ $tries -gt 150 ] || ! ox_running; then
                die "the oxigraph server did not start; see $DIR/oxigraph.log"
            fi
            sleep 0.1
        done
    fi
    say "the oxigraph server runs on 127.0.0.1:$OX_PORT (data in $DIR/oxigraph)"
    echo "export HFKG_GRAPH_ENDPOINT=http://127.0.0.1:$OX_PORT"
}

stop_all() {
    cluster_home
    if BIN=$(pg_bindir) && pg_running; then
        as_pg "$BIN/pg_ctl" -D "$PGH/pg" -w -m fast stop >/dev/null && say "PostgreSQL stopped"
    else
        say "PostgreSQL was not running"
    fi
    if ox_running; then
        pid=$(cat "$DIR/oxigraph.pid")
        kill "$pid"
        tries=0
        while kill -0 "$pid" 2>/dev/null && [ $tries -lt 100 ]; do tries=$((tries + 1)); sleep 0.1; done
        rm -f "$DIR/oxigraph.pid"
        say "the oxigraph server stopped"
    else
        say "the oxigraph server was not running"
    fi
}

status_all() {
    code=0
    cluster_home
    if BIN=$(pg_bindir) && pg_running; then
        say "PostgreSQL: running on 127.0.0.1:$PG_PORT (data in $PGH/pg)"
    else
        say "PostgreSQL: not running (data in $PGH/pg)"
        code=3
    fi
    if ox_running; then
        say "oxigraph: running on 127.0.0.1:$OX_PORT (pid $(cat "$DIR/oxigraph.pid"), data in $DIR/oxigraph)"
    else
        say "oxigraph: not running"
        code=3
    fi
    return $code
}

case "${1:-}" in
    start) start_postgres; start_oxigraph ;;
    stop) stop_all ;;
    status) status_all ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
