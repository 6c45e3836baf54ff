#!/bin/bash
# Stand-in MariaDB entrypoint: on first start, creates the database and the
# application user named by MARIADB_DATABASE, MARIADB_USER and
# MARIADB_PASSWORD; then runs the server in the foreground on port 3306.
set -euo pipefail

datadir=/var/lib/mysql
socket=/run/mysqld/mysqld.sock

initialize() {
    mariadb-install-db --user=mysql --datadir="$datadir" \
        --skip-test-db >/dev/null
    mariadbd --user=mysql --datadir="$datadir" --skip-networking \
        --socket="$socket" &
    local server=$! tries
    for tries in $(seq 1 120); do
        mariadb-admin --socket="$socket" ping --silent 2>/dev/null && break
        sleep 0.25
    done
    mariadb --socket="$socket" <<SQL
CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE:?}\`;
CREATE USER IF NOT EXISTS '${MARIADB_USER:?}'@'%'
    IDENTIFIED BY '${MARIADB_PASSWORD:?}';
GRANT ALL ON \`${MARIADB_DATABASE}\`.* TO '${MARIADB_USER}'@'%';
SQL
    mariadb-admin --socket="$socket" shutdown
    wait "$server" || true
}

[ -d "$datadir/mysql" ] || initialize
exec mariadbd --user=mysql --datadir="$datadir" --socket="$socket" \
    --bind-address=0.0.0.0 --port=3306
