#!/usr/bin/env bash
# Runs the PostgreSQL backend's tests (Integrations/PostgresStore) against a real server this script starts
# in a temporary folder on a random local port and stops at the end. Credentials are made here, at random,
# and reach the tests only through libpq's environment; TLS is on by default (a self-signed certificate
# made here; PGSSLMODE=require), or off with CARESTORE_PG_TLS=0.
#
#   bash scripts/check-postgres.sh            # build warnings as errors, then test
#   bash scripts/check-postgres.sh --bench    # then the benchmarks too, in release mode (not in CI)
#
# Run as root (as CI is), the server runs as the `postgres` user through runuser. initdb and pg_ctl are
# looked for in /usr/lib/postgresql/<version>/bin, where Debian puts them (not on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) ; do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then pg_bin="$candidate"; break; fi
done
if [ -z "$pg_bin" ] || [ ! -e /usr/include/postgresql/libpq-fe.h ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "check-postgres: PostgreSQL's server or libpq-dev is missing and installing them needs root" >&2
        exit 1
    fi
    echo "check-postgres: installing postgresql and libpq-dev"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql libpq-dev openssl
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V -r | head -1)"
fi

command -v openssl >/dev/null 2>&1 || [ "${CARESTORE_PG_TLS:-1}" = "0" ] || {
    echo "check-postgres: openssl is needed for the TLS certificate (or set CARESTORE_PG_TLS=0)" >&2
    exit 1
}

work="$(mktemp -d)"
stop() {
    [ -n "${pg_started:-}" ] && run_as "$pg_bin/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop EXIT
run_as() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$work"
    run_as() { runuser -u postgres -- "$@"; }
fi
chmod 700 "$work"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
password="$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
user="carestore"

printf '%s\n' "$password" > "$work/password"
[ "$(id -u)" -eq 0 ] && chown postgres "$work/password"
run_as "$pg_bin/initdb" -D "$work/data" -U "$user" --pwfile="$work/password" -A scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
rm -f "$work/password"

settings=(-c "listen_addresses=127.0.0.1" -c "port=$port" -c "unix_socket_directories=$work" -c "fsync=off")
sslmode="disable"
if [ "${CARESTORE_PG_TLS:-1}" = "1" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
        -keyout "$work/data/server.key" -out "$work/data/server.crt" >"$work/openssl.log" 2>&1 \
        || { cat "$work/openssl.log" >&2; exit 1; }
    [ "$(id -u)" -eq 0 ] && chown postgres "$work/data/server.key" "$work/data/server.crt"
    chmod 600 "$work/data/server.key"
    settings+=(-c "ssl=on" -c "ssl_cert_file=server.crt" -c "ssl_key_file=server.key")
    sslmode="require"
fi
pg_started=1
run_as "$pg_bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o "${settings[*]}" start >/dev/null \
    || { cat "$work/server.log" >&2; exit 1; }
echo "check-postgres: PostgreSQL $("$pg_bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port (sslmode=$sslmode)"

export PGHOST=127.0.0.1 PGPORT="$port" PGUSER="$user" PGPASSWORD="$password" PGDATABASE=postgres
export PGSSLMODE="$sslmode" CARESTORE_REQUIRE_POSTGRES=1

printf '\n==> PostgresStore build (warnings as errors)\n'
swift build --package-path Integrations/PostgresStore --build-tests -Xswiftc -warnings-as-errors
printf '\n==> PostgresStore tests\n'
status=0
swift test --package-path Integrations/PostgresStore --skip-build >"$work/test.log" 2>&1 || status=$?
grep -E "✘|passed after|failed after|error:" "$work/test.log" | tail -20 || true
if [ "$status" -ne 0 ] || grep -q "✘\|failed after" "$work/test.log" || ! grep -q "Test run with .* passed" "$work/test.log"; then
    echo "check-postgres: the PostgreSQL tests failed" >&2
    grep -E "✘|recorded an issue" "$work/test.log" | head -40 >&2
    exit 1
fi
if grep -q "skipped" "$work/test.log"; then
    echo "check-postgres: tests were skipped, so the server was not used" >&2
    exit 1
fi
if [ "${1:-}" = "--bench" ]; then
    printf '\n==> PostgresStore benchmarks (release)\n'
    swift run --package-path Integrations/PostgresStore -c release PostgresStoreBenchmarks
fi
