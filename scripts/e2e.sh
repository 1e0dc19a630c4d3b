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
# Exit status: non-zero on any failure (with a message saying which piece did not come up).
# Failure screenshots: $OUT/FAILED-<test>.png.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/authdesk/target}
PG_ADMIN_URL=${AUTHDESK_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}
# psql never prompts for a password (-w) and gives up on a server that does not answer.
export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-10}
TAURI_DRIVER_VERSION=2.1.0
TAURI_DRIVER="${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver"
OUT=$(mktemp -d /tmp/authdesk-e2e.XXXXXX)
say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
fail() { printf '\033[1;31mFATAL:\033[0m %s\n' "$*" >&2; exit 1; }
locked_cargo() { "$ROOT/scripts/locked-cargo.sh" "$@"; }

# wait_until WHAT SECONDS PID LOG COMMAND...: runs COMMAND until it succeeds. Fails with a clear
# message (and WHAT's log) when PID exits first or SECONDS pass.
wait_until() {
  local what=$1 seconds=$2 pid=$3 log=$4
  shift 4
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$log" >&2
      fail "$what exited before it came up (log above: $log)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      cat "$log" >&2
      fail "$what did not come up within ${seconds}s (log above: $log)"
    fi
    sleep 0.1
  done
}

PIDS=()
PG_DB=""
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$PG_DB" ]; then
    psql -w -X "$PG_ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 \
      || echo "warning: could not drop database $PG_DB" >&2
  fi
  echo "e2e output (logs, failure screenshots): $OUT" >&2
  exit $status
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# 1. The system packages and the UI, then the app and the server built exactly as the test command
# builds them (its cargo invocation, so nothing is compiled again for another feature set; after
# scripts/test.sh this finds everything built), and the test tools.
mapfile -t desktop_packages < <("$ROOT/scripts/run-app.sh" --print-packages)
"$ROOT/scripts/apt-install.sh" "${desktop_packages[@]}"
"$ROOT/scripts/run-app.sh" --ui-only
say "building the app and authdesk-server"
locked_cargo test --workspace --exclude authdesk-ui --no-run
if ! cargo install --list | grep -qx "tauri-driver v$TAURI_DRIVER_VERSION:" || [ ! -x "$TAURI_DRIVER" ]; then
  say "installing tauri-driver $TAURI_DRIVER_VERSION"
  # A tool: without the test command's lint wrapper and flags; unoptimised (a proxy).
  env -u RUSTC_WORKSPACE_WRAPPER -u RUSTFLAGS "$ROOT/scripts/locked-cargo.sh" install --debug tauri-driver \
    --version "$TAURI_DRIVER_VERSION" --locked
fi
# Selenium and pytest, pinned in scripts/requirements-test.txt.
VENV=$("$ROOT/scripts/python-venv.sh")
APP="$CARGO_TARGET_DIR/debug/authdesk-desktop"
SERVER="$CARGO_TARGET_DIR/debug/authdesk-server"

# 2. A remote server on a fresh PostgreSQL database.
PG_DB="authdesk_e2e_$(date +%s)_$$"
say "creating database $PG_DB"
psql -w -X "$PG_ADMIN_URL" -qAtc "CREATE DATABASE \"$PG_DB\"" >/dev/null \
  || fail "cannot create database $PG_DB at $PG_ADMIN_URL (set AUTHDESK_TEST_POSTGRES to a server that answers)"
PG_URL=$(python3 - "$PG_ADMIN_URL" "$PG_DB" <<'PY'
import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1])
print(u.urlunsplit((p.scheme, p.netloc, "/" + sys.argv[2], p.query, p.fragment)))
PY
)
# Its mail (password reset codes) goes to a real SMTP server on loopback that writes a Maildir the
# stories read.
SMTP_PORT=$(free_port)
MAILDIR="$OUT/mail"
say "starting an SMTP sink on 127.0.0.1:$SMTP_PORT (aiosmtpd, Maildir $MAILDIR)"
"$VENV/bin/python" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" \
  >"$OUT/smtp.log" 2>&1 &
SMTP_PID=$!
PIDS+=("$SMTP_PID")
wait_until "the SMTP sink" 20 "$SMTP_PID" "$OUT/smtp.log" \
  python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $SMTP_PORT), 1)"

# start_server NAME ENV...: an authdesk-server on the database, mailing the sink, with ENV on top;
# sets STARTED_URL. Servers in other registration modes share the database (modes are settings).
SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
start_server() {
  local name=$1 port=${SERVER_PORT:-} log
  shift
  [ -n "$port" ] || port=$(free_port)
  log="$OUT/server-$name.log"
  say "starting authdesk-server ($name) on 127.0.0.1:$port (PostgreSQL)"
  env BETTER_AUTH_SECRET="$SECRET" DATABASE_URL="$PG_URL" AUTHDESK_LOGIN_RATE_LIMIT=off RUST_LOG=warn \
    AUTHDESK_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" AUTHDESK_MAIL_FROM="authdesk <noreply@authdesk.test>" "$@" \
    "$SERVER" serve --bind "127.0.0.1:$port" >"$log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  STARTED_URL="http://127.0.0.1:$port"
  wait_until "authdesk-server ($name)" 30 "$pid" "$log" curl -fsS --max-time 2 "$STARTED_URL/api/health"
}
start_server open
REMOTE_URL=$STARTED_URL
curl -fsS --max-time 5 "$REMOTE_URL/api/health" >&2
echo >&2
# Who may join (issue 24): a server that verifies addresses by mail, one that registers by invitation.
start_server verified AUTHDESK_REGISTRATION=verified AUTHDESK_REGISTER_RATE_LIMIT=off
VERIFIED_URL=$STARTED_URL
start_server invite AUTHDESK_REGISTRATION=invite AUTHDESK_REGISTER_RATE_LIMIT=off
INVITE_URL=$STARTED_URL

# Single sign-on (issue 25): a real OpenID Provider on loopback (oidc-provider, from npm) and a
# server that signs in through it. The provider must know the server's callback first.
OIDC_MODULES=$("$ROOT/scripts/oidc-provider.sh")
OIDC_PORT=$(free_port)
SSO_PORT=$(free_port)
OIDC_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
say "starting the OpenID Provider on 127.0.0.1:$OIDC_PORT"
OIDC_MODULES="$OIDC_MODULES" PORT="$OIDC_PORT" CLIENT_ID=authdesk-e2e CLIENT_SECRET="$OIDC_SECRET" \
  REDIRECT_URI="http://127.0.0.1:$SSO_PORT/api/auth/sso/callback" \
  node "$ROOT/server/tests/oidc/provider.mjs" >"$OUT/oidc.log" 2>&1 &
OIDC_PID=$!
PIDS+=("$OIDC_PID")
OIDC_ISSUER="http://127.0.0.1:$OIDC_PORT"
wait_until "the OpenID Provider" 30 "$OIDC_PID" "$OUT/oidc.log" curl -fsS --max-time 2 "$OIDC_ISSUER/.well-known/openid-configuration"
SERVER_PORT=$SSO_PORT start_server sso AUTHDESK_REGISTER_RATE_LIMIT=off AUTHDESK_OIDC_ISSUER="$OIDC_ISSUER" \
  AUTHDESK_OIDC_CLIENT_ID=authdesk-e2e AUTHDESK_OIDC_CLIENT_SECRET="$OIDC_SECRET" AUTHDESK_OIDC_NAME="Acme SSO" \
  AUTHDESK_PUBLIC_URL="http://127.0.0.1:$SSO_PORT"
SSO_URL=$STARTED_URL

# 3. A private X display and tauri-driver (which must see DISPLAY, or the app cannot start GTK).
DISPLAY_NUM=99
while [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] || [ -e "/tmp/.X$DISPLAY_NUM-lock" ]; do DISPLAY_NUM=$((DISPLAY_NUM + 1)); done
command -v Xvfb >/dev/null || fail "Xvfb is not installed (Debian: apt-get install xvfb)"
say "starting Xvfb on :$DISPLAY_NUM"
Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 &
XVFB_PID=$!
PIDS+=("$XVFB_PID")
export DISPLAY=":$DISPLAY_NUM"
wait_until "Xvfb on :$DISPLAY_NUM" 20 "$XVFB_PID" "$OUT/xvfb.log" test -S "/tmp/.X11-unix/X$DISPLAY_NUM"

DRIVER_PORT=$(free_port)
NATIVE_PORT=$(free_port)
command -v WebKitWebDriver >/dev/null || fail "WebKitWebDriver is not installed (Debian: apt-get install webkit2gtk-driver)"
say "starting tauri-driver $TAURI_DRIVER_VERSION on 127.0.0.1:$DRIVER_PORT"
"$TAURI_DRIVER" --port "$DRIVER_PORT" --native-port "$NATIVE_PORT" >"$OUT/tauri-driver.log" 2>&1 &
DRIVER_PID=$!
PIDS+=("$DRIVER_PID")
wait_until "tauri-driver" 30 "$DRIVER_PID" "$OUT/tauri-driver.log" \
  curl -fsS --max-time 2 "http://127.0.0.1:$DRIVER_PORT/status"

# axe-core (issue 27), checked on every screen the stories photograph.
AXE_DIR=$("$ROOT/scripts/npm-pinned.sh" "$ROOT/tests/e2e/axe/package.json" \
  "${AUTHDESK_AXE_DIR:-$HOME/.cache/authdesk/axe}" axe-core)

# 4. The stories. Each test gets its own AUTHDESK_DATA_DIR under $OUT/data.
say "running the E2E stories"
cd "$ROOT/tests/e2e"
AUTHDESK_APP="$APP" AUTHDESK_E2E_OUT="$OUT" AUTHDESK_REMOTE_URL="$REMOTE_URL" AUTHDESK_REMOTE_DATABASE_URL="$PG_URL" \
  AUTHDESK_VERIFIED_URL="$VERIFIED_URL" AUTHDESK_INVITE_URL="$INVITE_URL" AUTHDESK_SSO_URL="$SSO_URL" \
  AUTHDESK_E2E_OIDC_ISSUER="$OIDC_ISSUER" \
  AUTHDESK_MAILDIR="$MAILDIR" AUTHDESK_SERVER_BIN="$SERVER" \
  AUTHDESK_SCREENSHOTS="$ROOT/docs/screenshots" AUTHDESK_AXE_JS="$AXE_DIR/node_modules/axe-core/axe.min.js" \
  AUTHDESK_A11Y_REPORT="$ROOT/docs/accessibility.md" TAURI_DRIVER_URL="http://127.0.0.1:$DRIVER_PORT" \
  AUTHDESK_E2E_STRICT=1 timeout --kill-after=10 "${E2E_TIMEOUT:-600}" "$VENV/bin/pytest" -p no:cacheprovider -v -rs "$@"
