#!/usr/bin/env bash
# The whole test suite, from a fresh clone on Debian/Ubuntu with Rust: installs what is missing,
# makes sure a PostgreSQL server is available (a throwaway one if needed), then runs formatting and
# lint checks, every Rust test (each contract test on SQLite and on PostgreSQL), and the desktop
# app's end-to-end stories in a real window.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/authdesk/target}"
CACHE="$HOME/.cache/authdesk"
mkdir -p "$CACHE"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# --- Python with python-jose: tokens must interoperate with the original design's JWT library.
apt_install python3-venv
VENV="$CACHE/venv"
if ! "$VENV/bin/python" -c 'import jose, selenium' 2>/dev/null; then
  step "creating $VENV (python-jose, selenium)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q python-jose selenium
fi
export AUTHDESK_TEST_PYTHON="$VENV/bin/python"

# --- PostgreSQL: the given server, the local one, or a throwaway cluster of our own.
apt_install postgresql-client
PG_TMP=""
cleanup() {
  if [ -n "$PG_TMP" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
  fi
}
trap cleanup EXIT
pg_answers() { psql "$1" -tAc 'select 1' >/dev/null 2>&1; }
if [ -z "${AUTHDESK_TEST_POSTGRES:-}" ]; then
  if pg_answers "postgres://postgres@127.0.0.1:5432/postgres"; then
    export AUTHDESK_TEST_POSTGRES="postgres://postgres@127.0.0.1:5432/postgres"
  else
    step "no PostgreSQL at 127.0.0.1:5432: starting a throwaway cluster"
    apt_install postgresql
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    PG_TMP=$(mktemp -d /tmp/authdesk-pg.XXXXXX)
    chown postgres "$PG_TMP"
    PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    # initdb refuses to run as root; the cluster runs as the unprivileged postgres user.
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w \
      -o "-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
    export AUTHDESK_TEST_POSTGRES="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  fi
fi
if ! pg_answers "$AUTHDESK_TEST_POSTGRES"; then
  echo "FATAL: PostgreSQL does not answer at $AUTHDESK_TEST_POSTGRES; the PostgreSQL tests cannot run." >&2
  exit 1
fi
echo "PostgreSQL for tests: $AUTHDESK_TEST_POSTGRES"

# --- Rust checks and tests.
step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
step "cargo test (contract, server on SQLite and PostgreSQL, desktop shell)"
cargo test --workspace --exclude authdesk-ui

# --- Desktop app end-to-end in a real window.
if [ -x scripts/e2e.sh ]; then
  step "end-to-end: the desktop app under Xvfb"
  scripts/e2e.sh
fi
step "all tests passed"
