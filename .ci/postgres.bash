# PostgreSQL for the history-store and warehouse tests, sourced by .ci/run: Debian's packages
# when missing, a throw-away cluster in a temporary folder on a free local port, the
# superuser's URL in CCRULES_TEST_POSTGRES, and CCRULES_REQUIRE_POSTGRES=1 so that those tests
# fail instead of skipping. stop_postgres (on .ci/run's EXIT trap) stops it and removes it.

pg_root=""
pg_bin=""

_as_postgres() {  # run a server command as the postgres user when CI runs as root
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_postgres() {
    if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
        local sudo=""
        if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then sudo=sudo; fi
        echo "::: installing postgresql"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    fi
    # the newest installed version: /usr/lib/postgresql/<version>/bin
    pg_bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin | sort -V | tail -n 1)
    pg_root=$(mktemp -d)
    chmod 755 "$pg_root"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$pg_root"; fi
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "::: postgresql: $pg_bin on 127.0.0.1:$port, cluster in $pg_root"
    _as_postgres timeout 120 "$pg_bin/initdb" --pgdata="$pg_root/data" --username=postgres \
        --auth=trust --encoding=UTF8 --locale=C >/dev/null
    _as_postgres timeout 120 "$pg_bin/pg_ctl" --pgdata="$pg_root/data" --wait --timeout=60 \
        --log="$pg_root/server.log" \
        --options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$pg_root" \
        start >/dev/null
    export CCRULES_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/postgres"
    export CCRULES_REQUIRE_POSTGRES=1
}

stop_postgres() {
    if [ -n "$pg_root" ] && [ -d "$pg_root/data" ]; then
        _as_postgres timeout 120 "$pg_bin/pg_ctl" --pgdata="$pg_root/data" --wait \
            --mode=fast stop >/dev/null || true
    fi
    if [ -n "$pg_root" ]; then rm -rf "$pg_root"; fi
    pg_root=""
}
