# Shell helpers that start the real servers the demo and the Docker tests
# use: MariaDB (Debian's mariadbd) and the tansu Kafka-compatible broker.
# Each gets a temporary directory and a free loopback port; stop_servers
# (install it as an EXIT trap) stops them and removes their state.
# Source this file; it defines functions only.

SERVERS_PIDS=()
SERVERS_DIRS=()
TANSU="${CARGO_HOME:-$HOME/.cargo}/bin/tansu"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_until SECONDS COMMAND...: runs COMMAND every 0.1 s until it succeeds.
wait_until() {
  local limit=$(( $1 * 10 )); shift
  for ((i = 0; i < limit; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "servers: gave up waiting for: $*" >&2
  return 1
}

# start_mariadb: sets MARIADB_PORT and MARIADB_SOCKET.
start_mariadb() {
  local dir; dir=$(mktemp -d /tmp/plinth-mariadb.XXXXXX)
  SERVERS_DIRS+=("$dir")
  MARIADB_PORT=$(free_port)
  MARIADB_SOCKET="$dir/mysqld.sock"
  mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
    --auth-root-authentication-method=socket >"$dir/install.log" 2>&1
  mariadbd --no-defaults --datadir="$dir/data" --socket="$MARIADB_SOCKET" \
    --port="$MARIADB_PORT" --bind-address=127.0.0.1 --user="$(id -un)" \
    --pid-file="$dir/mysqld.pid" --skip-log-bin --innodb-buffer-pool-size=16M \
    --skip-name-resolve \
    >"$dir/server.log" 2>&1 &
  SERVERS_PIDS+=($!)
  wait_until 60 env -u MYSQL_HOST -u MYSQL_TCP_PORT \
    mariadb-admin --no-defaults --socket="$MARIADB_SOCKET" -uroot ping
  # The anonymous accounts install-db creates would shadow real users
  # connecting from loopback.
  mariadb_sql "DELETE FROM mysql.global_priv WHERE User=''; FLUSH PRIVILEGES;"
}

# mariadb_sql SQL: runs SQL as root over the socket. The client would
# follow MYSQL_HOST and friends from the environment, which the demo sets
# for plinth, so they are removed for it.
mariadb_sql() {
  env -u MYSQL_HOST -u MYSQL_TCP_PORT -u MYSQL_PWD \
    mariadb --no-defaults --socket="$MARIADB_SOCKET" -uroot -e "$1"
}

# start_tansu: sets KAFKA_PORT.
start_tansu() {
  KAFKA_PORT=$(free_port)
  "$TANSU" broker --listener-url "tcp://127.0.0.1:$KAFKA_PORT" \
    --advertised-listener-url "tcp://127.0.0.1:$KAFKA_PORT" \
    --storage-engine memory://tansu/ >/dev/null 2>&1 &
  SERVERS_PIDS+=($!)
  wait_until 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/$KAFKA_PORT"
}

# create_topic NAME: creates a one-partition topic on the tansu broker.
create_topic() {
  "$TANSU" topic create "$1" --broker "tcp://127.0.0.1:$KAFKA_PORT" --partitions 1 >/dev/null
}

stop_servers() {
  local pid
  for pid in "${SERVERS_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVERS_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "${SERVERS_DIRS[@]}"
  SERVERS_PIDS=(); SERVERS_DIRS=()
}
