#!/usr/bin/env bash
# Runs a command with AUTHDESK_TEST_POSTGRES pointing at a PostgreSQL server that answers and
# offers TLS (tests/postgres_tls.rs fails unless its connections are really encrypted):
#   1. the one already named by AUTHDESK_TEST_POSTGRES (used as given; a warning if it has no TLS), or
#   2. the local server at 127.0.0.1:5432 (user postgres, trust auth) if it has `ssl = on`, or
#   3. a throwaway cluster started here and removed afterwards: initdb in a temp dir, trust auth,
#      a free port, `ssl = on` with a self-signed certificate for 127.0.0.1 (exported as
#      AUTHDESK_TEST_POSTGRES_CA). As root it runs as the unprivileged postgres user (initdb refuses
#      root); otherwise as the current user, without sudo. Debian's postgresql is installed if missing.
# If none can be had it fails loudly: PostgreSQL tests never skip silently. psql never prompts for a
# password (-w) and gives up on a server that does not answer (PGCONNECT_TIMEOUT).
# AUTHDESK_THROWAWAY_POSTGRES=1 forces case 3 (to test this script).
set -euo pipefail
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-5}"
LOCAL_URL="postgres://postgres@127.0.0.1:5432/postgres"

pg_query() { psql -w -X -qtA -c "$2" "$1" 2>/dev/null; }
pg_answers() { [ "$(pg_query "$1" 'select 1')" = 1 ]; }
pg_has_tls() { [ "$(pg_query "$1" 'show ssl')" = on ]; }
# The cluster's owner: the postgres user when we are root (initdb refuses root), else ourselves.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
apt_install() { "$(dirname "$0")/apt-install.sh" "$@"; }
initdb_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 | grep . \
    || { command -v initdb >/dev/null && dirname "$(readlink -f "$(command -v initdb)")"; }
}

command -v psql >/dev/null || apt_install postgresql-client

PG_TMP=""
PG_BIN=""
cleanup() {
  if [ -n "$PG_TMP" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast -t 30 stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
  fi
}
trap cleanup EXIT

if [ "${AUTHDESK_THROWAWAY_POSTGRES:-}" = 1 ]; then
  unset AUTHDESK_TEST_POSTGRES
elif [ -n "${AUTHDESK_TEST_POSTGRES:-}" ]; then
  if pg_answers "$AUTHDESK_TEST_POSTGRES" && ! pg_has_tls "$AUTHDESK_TEST_POSTGRES"; then
    echo "warning: $AUTHDESK_TEST_POSTGRES has ssl off; the PostgreSQL TLS test will fail." >&2
  fi
elif pg_answers "$LOCAL_URL"; then
  if pg_has_tls "$LOCAL_URL"; then
    export AUTHDESK_TEST_POSTGRES="$LOCAL_URL"
  else
    echo "== the PostgreSQL at 127.0.0.1:5432 has ssl off; the TLS test needs a server with TLS" >&2
  fi
fi

if [ -z "${AUTHDESK_TEST_POSTGRES:-}" ]; then
  echo "== starting a throwaway PostgreSQL cluster with TLS" >&2
  PG_BIN=$(initdb_dir) || true
  if [ -z "$PG_BIN" ] || { [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; }; then
    apt_install postgresql
    PG_BIN=$(initdb_dir)
  fi
  command -v openssl >/dev/null || apt_install openssl
  PG_TMP=$(mktemp -d /tmp/authdesk-pg.XXXXXX)
  chmod 755 "$PG_TMP"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_TMP"; fi
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_owner "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust >/dev/null
  # A self-signed certificate naming 127.0.0.1, so sslmode=verify-full can be tested against it
  # (CA:FALSE: rustls refuses a CA certificate as the server's own).
  as_owner openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -addext "basicConstraints=critical,CA:FALSE" \
    -keyout "$PG_TMP/server.key" -out "$PG_TMP/server.crt" >/dev/null 2>&1
  as_owner chmod 600 "$PG_TMP/server.key"
  PG_OPTS="-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off"
  PG_OPTS+=" -c ssl=on -c ssl_cert_file=$PG_TMP/server.crt -c ssl_key_file=$PG_TMP/server.key"
  as_owner "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w -t 60 -o "$PG_OPTS" start >/dev/null \
    || { echo "FATAL: the throwaway PostgreSQL did not start; its log:" >&2; cat "$PG_TMP/log" >&2; exit 1; }
  export AUTHDESK_TEST_POSTGRES="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  export AUTHDESK_TEST_POSTGRES_CA="$PG_TMP/server.crt"
fi

if ! pg_answers "$AUTHDESK_TEST_POSTGRES"; then
  echo "FATAL: PostgreSQL does not answer at $AUTHDESK_TEST_POSTGRES; the PostgreSQL tests cannot run." >&2
  exit 1
fi
echo "== PostgreSQL for tests: $AUTHDESK_TEST_POSTGRES (ssl $(pg_query "$AUTHDESK_TEST_POSTGRES" 'show ssl'))" >&2
# Not exec: the trap removes the throwaway cluster when the command ends.
"$@"
