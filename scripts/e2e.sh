#!/usr/bin/env bash
# End-to-end stories for the desktop app: the real window under Xvfb, driven through
# tauri-driver + WebKitWebDriver by Selenium (Python), against the embedded server and against a
# remote authdesk-server on PostgreSQL. Also refreshes docs/screenshots (light and dark).
#
#   scripts/e2e.sh [pytest args...]      e.g. scripts/e2e.sh -k remote
#
# Env: AUTHDESK_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres): a server
#      where a uniquely named database is created for the run and dropped afterwards.
#      E2E_TIMEOUT (default 600): hard limit in seconds for the test client.
# Exit status: non-zero on any failure. Failure screenshots: $OUT/FAILED-<test>.png.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/authdesk/target}
LOCK=/tmp/authdesk-cargo.lock
VENV=$HOME/.cache/authdesk/venv
PG_ADMIN_URL=${AUTHDESK_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}
OUT=$(mktemp -d /tmp/authdesk-e2e.XXXXXX)
say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
locked_cargo() { flock "$LOCK" cargo "$@"; }

PIDS=()
PG_DB=""
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$PG_DB" ]; then
    psql "$PG_ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 \
      || echo "warning: could not drop database $PG_DB" >&2
  fi
  echo "e2e output (logs, failure screenshots): $OUT" >&2
  exit $status
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# 1. Build the app (installs what is missing), the server, and the test tools.
"$ROOT/scripts/run-app.sh" --build-only
say "building authdesk-server"
locked_cargo build -p authdesk-server
if ! command -v tauri-driver >/dev/null; then
  say "installing tauri-driver"
  locked_cargo install tauri-driver --locked
fi
if [ ! -x "$VENV/bin/pytest" ] || ! "$VENV/bin/python" -c 'import selenium' 2>/dev/null; then
  say "creating the Python venv for Selenium in $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet selenium pytest
fi
APP="$CARGO_TARGET_DIR/debug/authdesk-desktop"
SERVER="$CARGO_TARGET_DIR/debug/authdesk-server"

# 2. A remote server on a fresh PostgreSQL database.
PG_DB="authdesk_e2e_$(date +%s)_$$"
say "creating database $PG_DB"
psql "$PG_ADMIN_URL" -qAtc "CREATE DATABASE \"$PG_DB\"" >/dev/null
PG_URL=$(python3 - "$PG_ADMIN_URL" "$PG_DB" <<'PY'
import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1])
print(u.urlunsplit((p.scheme, p.netloc, "/" + sys.argv[2], p.query, p.fragment)))
PY
)
SERVER_PORT=$(free_port)
say "starting authdesk-server on 127.0.0.1:$SERVER_PORT (PostgreSQL)"
BETTER_AUTH_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))') \
  DATABASE_URL="$PG_URL" AUTHDESK_LOGIN_RATE_LIMIT=off RUST_LOG=warn \
  "$SERVER" serve --bind "127.0.0.1:$SERVER_PORT" >"$OUT/server.log" 2>&1 &
PIDS+=($!)
REMOTE_URL="http://127.0.0.1:$SERVER_PORT"
for _ in $(seq 1 100); do
  curl -fsS "$REMOTE_URL/api/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$REMOTE_URL/api/health" >&2 || { cat "$OUT/server.log" >&2; exit 1; }
echo >&2

# 3. A private X display and tauri-driver (which must see DISPLAY, or the app cannot start GTK).
DISPLAY_NUM=99
while [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] || [ -e "/tmp/.X$DISPLAY_NUM-lock" ]; do DISPLAY_NUM=$((DISPLAY_NUM + 1)); done
say "starting Xvfb on :$DISPLAY_NUM"
Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 &
PIDS+=($!)
export DISPLAY=":$DISPLAY_NUM"
for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] && break; sleep 0.1; done

DRIVER_PORT=$(free_port)
NATIVE_PORT=$(free_port)
say "starting tauri-driver on 127.0.0.1:$DRIVER_PORT"
tauri-driver --port "$DRIVER_PORT" --native-port "$NATIVE_PORT" >"$OUT/tauri-driver.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$DRIVER_PORT/status" >/dev/null 2>&1 && break; sleep 0.1; done

# 4. The stories. Each test gets its own AUTHDESK_DATA_DIR under $OUT/data.
say "running the E2E stories"
cd "$ROOT/tests/e2e"
AUTHDESK_APP="$APP" AUTHDESK_E2E_OUT="$OUT" AUTHDESK_REMOTE_URL="$REMOTE_URL" \
  AUTHDESK_SCREENSHOTS="$ROOT/docs/screenshots" TAURI_DRIVER_URL="http://127.0.0.1:$DRIVER_PORT" \
  timeout --kill-after=10 "${E2E_TIMEOUT:-600}" "$VENV/bin/pytest" -p no:cacheprovider -v "$@"
