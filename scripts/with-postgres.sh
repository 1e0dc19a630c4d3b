#!/usr/bin/env bash
# Runs a command with AUTHDESK_TEST_POSTGRES pointing at a PostgreSQL server that answers:
#   1. the one already named by AUTHDESK_TEST_POSTGRES, or
#   2. the local server at 127.0.0.1:5432 (user postgres, trust auth), or
#   3. a throwaway cluster started here (Debian's postgresql installed if missing; initdb in a temp
#      dir, trust auth, a free port, run as the unprivileged postgres user) and removed afterwards.
# If none can be had it fails loudly: PostgreSQL tests never skip silently.
# AUTHDESK_THROWAWAY_POSTGRES=1 forces case 3 (to test this script).
set -euo pipefail
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
pg_answers() { psql "$1" -tAc 'select 1' >/dev/null 2>&1; }

if ! command -v psql >/dev/null || { [ "${AUTHDESK_THROWAWAY_POSTGRES:-}" = 1 ] && ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }; then
  echo "== installing PostgreSQL (Debian packages)" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql postgresql-client >/dev/null
fi

PG_TMP=""
cleanup() {
  if [ -n "$PG_TMP" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
  fi
}
trap cleanup EXIT

if [ "${AUTHDESK_THROWAWAY_POSTGRES:-}" = 1 ]; then
  unset AUTHDESK_TEST_POSTGRES
elif [ -z "${AUTHDESK_TEST_POSTGRES:-}" ] && pg_answers "postgres://postgres@127.0.0.1:5432/postgres"; then
  export AUTHDESK_TEST_POSTGRES="postgres://postgres@127.0.0.1:5432/postgres"
fi

if [ -z "${AUTHDESK_TEST_POSTGRES:-}" ]; then
  echo "== no PostgreSQL at 127.0.0.1:5432: starting a throwaway cluster" >&2
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  fi
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_TMP=$(mktemp -d /tmp/authdesk-pg.XXXXXX)
  chmod 755 "$PG_TMP"
  chown postgres "$PG_TMP"
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  # initdb refuses to run as root: the cluster belongs to the unprivileged postgres user.
  as_postgres "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust >/dev/null
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w \
    -o "-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
  export AUTHDESK_TEST_POSTGRES="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
fi

if ! pg_answers "$AUTHDESK_TEST_POSTGRES"; then
  echo "FATAL: PostgreSQL does not answer at $AUTHDESK_TEST_POSTGRES; the PostgreSQL tests cannot run." >&2
  exit 1
fi
echo "== PostgreSQL for tests: $AUTHDESK_TEST_POSTGRES" >&2
"$@"
