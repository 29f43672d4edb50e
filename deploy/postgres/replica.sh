#!/bin/sh
# The read replica: cloned from the primary once (pg_basebackup -R writes standby.signal and the
# connection to stream from), then started as a hot standby that answers reads.
# Systemd hosts: the same commands as the postgres user, with Debian's cluster paths.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -R -X stream -c fast; do
        echo "replica: waiting for the primary" >&2
        sleep 2
    done
    chmod 700 "$PGDATA"
fi
exec postgres -D "$PGDATA" -c hot_standby=on
