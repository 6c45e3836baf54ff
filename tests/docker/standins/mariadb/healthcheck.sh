#!/bin/bash
# Stand-in for the official image's healthcheck.sh: --connect asks the server
# over its socket, --innodb_initialized asks whether InnoDB is available.
set -euo pipefail

socket=/run/mysqld/mysqld.sock
for check in "$@"; do
    case $check in
    --connect)
        mariadb-admin --socket="$socket" ping --silent ;;
    --innodb_initialized)
        mariadb --socket="$socket" -N -e \
            "SELECT 1 FROM information_schema.ENGINES
             WHERE ENGINE = 'InnoDB' AND SUPPORT IN ('YES', 'DEFAULT')" \
            | grep -qx 1 ;;
    *)
        echo "healthcheck.sh: unknown check $check" >&2
        exit 1 ;;
    esac
done
