# Helpers for tests/docker/run: the pass/fail tally, bounded polling, the
# host's MariaDB and tansu servers on loopback, and the containers, networks
# and compose projects of one run, all removed at exit.
#
# Sourced, not run: the caller sets `set -euo pipefail`, RUN_ID and WORK.

PASSED=0
FAILED=0
SERVER_PIDS=()

# check NAME COMMAND...: one assertion. COMMAND's output is shown only when
# it fails.
check() {
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then
        PASSED=$((PASSED + 1))
        printf 'ok   %s\n' "$name"
    else
        FAILED=$((FAILED + 1))
        printf 'FAIL %s\n' "$name"
        [ -z "$out" ] || printf '%s\n' "$out" | tail -n 15 | sed 's/^/     | /'
    fi
}

# expect_eq WHAT EXPECTED ACTUAL: for use inside check.
expect_eq() {
    [ "$2" = "$3" ] && return 0
    printf '%s: expected [%s], got [%s]\n' "$1" "$2" "$3"
    return 1
}

note() { printf '#    %s\n' "$*"; }

phase() { printf '\n## %s (at %ss)\n' "$*" "$SECONDS"; }

# wait_until SECONDS COMMAND...: polls COMMAND every 0.2 s, at most SECONDS.
wait_until() {
    local tries=$(($1 * 5))
    shift
    local i
    for ((i = 0; i < tries; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    "$@"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

now_ms() { date +%s%3N; }

# ---- containers of this run ----

# crun NAME ARGS...: `docker run -d` of a container labelled for cleanup.
crun() {
    local name=$1
    shift
    docker run -d --pull never --name "mbt-$RUN_ID-$name" --label "monasca-base-test=$RUN_ID" \
        "$@" >/dev/null
    echo "mbt-$RUN_ID-$name"
}

state_of() { docker inspect -f "{{$2}}" "$1" 2>/dev/null; }

health_is() { [ "$(state_of "$1" .State.Health.Status)" = "$2" ]; }

running() { [ "$(state_of "$1" .State.Running)" = true ]; }

exited() { [ "$(state_of "$1" .State.Status)" = exited ]; }

# build_quiet IMAGE ARGS...: docker build with its log in WORK, shown on
# failure.
build_quiet() {
    local image=$1 log
    shift
    log="$WORK/build-${image//[:\/]/_}.log"
    if ! docker build --force-rm -t "$image" "$@" >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        return 1
    fi
}

# ---- servers on the host's loopback ----

start_mariadb() {
    local dir="$WORK/mariadb" port=$1 i
    mkdir -p "$dir/data"
    mariadb-install-db --no-defaults --datadir="$dir/data" --user=root \
        --auth-root-authentication-method=socket --skip-test-db \
        >"$dir/install.log" 2>&1
    mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/sock" \
        --pid-file="$dir/pid" --port="$port" --bind-address=127.0.0.1 \
        --skip-name-resolve --user=root >"$dir/server.log" 2>&1 &
    SERVER_PIDS+=($!)
    wait_until 30 mariadb-admin --socket="$dir/sock" ping >/dev/null
    mariadb --socket="$dir/sock" <<'SQL'
DELETE FROM mysql.global_priv WHERE User = '';
FLUSH PRIVILEGES;
CREATE DATABASE mon;
CREATE USER 'monapi'@'%' IDENTIFIED BY 'password';
GRANT ALL ON mon.* TO 'monapi'@'%';
SQL
}

start_tansu() {
    local port=$1 i
    tansu broker --listener-url "tcp://127.0.0.1:$port" \
        --advertised-listener-url "tcp://127.0.0.1:$port" \
        --storage-engine memory://tansu/ >"$WORK/tansu.log" 2>&1 &
    SERVER_PIDS+=($!)
    wait_until 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
    for topic in "${@:2}"; do
        tansu topic create "$topic" --broker "tcp://127.0.0.1:$port" \
            --partitions 1 >>"$WORK/tansu.log" 2>&1
    done
}

# ---- cleanup ----

cleanup() {
    local ids pid
    ids=$(docker ps -aq --filter "label=monasca-base-test=$RUN_ID")
    [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || true
    ids=$(docker network ls -q --filter "label=monasca-base-test=$RUN_ID")
    [ -z "$ids" ] || docker network rm $ids >/dev/null 2>&1 || true
    if [ -n "${COMPOSE_DOWN:-}" ]; then
        $COMPOSE_DOWN >/dev/null 2>&1 || true
    fi
    for pid in "${SERVER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${SERVER_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$WORK"
}
