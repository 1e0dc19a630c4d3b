#!/usr/bin/env bash
# Measures the desktop app against a bare Tauri + Dioxus "hello" window (bench/hello-window),
# both built the same way (release, the same UI build script, the same versions) and measured in
# the same run: launch to first window and to an interactive first screen (no WebDriver: the
# window title, see scripts/measure/launch.py), idle memory (PSS of the app and its WebKit
# processes), the UI wasm a launch to the sign-in screen loads (the main module and the sign-in
# screen's; raw and gzip -9; each screen's module listed) and the .deb. Prints a Markdown table (BENCHMARKS.md).
#
#   scripts/measure-desktop.sh [--runs N] [--idle SECONDS] [--no-build]
#
# Builds first (scripts/run-app.sh --release --build-only, then the baseline), bundles both .debs
# with the Tauri CLI from npm, then launches each program N times (default 5), alternating, under
# its own Xvfb and D-Bus session. Results: $OUT/results.json and the table on stdout.
# Env: CARGO_TARGET_DIR (default ~/.cache/authdesk/target).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/authdesk/target}
HELLO="$ROOT/bench/hello-window"
TAURI_CLI_VERSION=2.12.5
NPM_PREFIX=$HOME/.cache/authdesk/npm
RUNS=5
IDLE=10
BUILD=1
while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=$2; shift ;;
    --idle) IDLE=$2; shift ;;
    --no-build) BUILD=0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
locked_cargo() { "$ROOT/scripts/locked-cargo.sh" "$@"; }
OUT=$(mktemp -d /tmp/authdesk-measure.XXXXXX)

tauri_cli() {
  if [ ! -x "$NPM_PREFIX/node_modules/.bin/tauri" ] \
    || [ "$("$NPM_PREFIX/node_modules/.bin/tauri" --version | awk '{print $2}')" != "$TAURI_CLI_VERSION" ]; then
    say "installing the Tauri CLI $TAURI_CLI_VERSION (npm)"
    timeout 600 npm install --no-audit --no-fund --prefix "$NPM_PREFIX" "@tauri-apps/cli@$TAURI_CLI_VERSION" >&2
  fi
  "$NPM_PREFIX/node_modules/.bin/tauri" "$@"
}

if [ "$BUILD" = 1 ]; then
  "$ROOT/scripts/run-app.sh" --release --build-only
  say "building the baseline hello window (release)"
  # The app's lock file, so the baseline resolves the very same Tauri, WebKit bindings and Dioxus.
  cp "$ROOT/Cargo.lock" "$HELLO/Cargo.lock"
  "$ROOT/scripts/build-wasm.sh" "$HELLO/ui/Cargo.toml" hello-window-ui "$HELLO/ui/dist"
  # The opt-level scripts/run-app.sh --release gives the app.
  opt_level=$(sed -n 's/^DESKTOP_RELEASE_OPT_LEVEL=//p' "$ROOT/scripts/run-app.sh")
  CARGO_PROFILE_RELEASE_OPT_LEVEL=$opt_level \
    locked_cargo build --release --manifest-path "$HELLO/Cargo.toml" -p hello-window
  say "bundling both .debs"
  (cd "$ROOT/src-tauri" && tauri_cli bundle --bundles deb >&2)
  (cd "$HELLO/shell" && tauri_cli bundle --bundles deb >&2)
fi

APP_BIN="$CARGO_TARGET_DIR/release/authdesk-desktop"
HELLO_BIN="$CARGO_TARGET_DIR/release/hello-window"
for f in "$APP_BIN" "$HELLO_BIN"; do [ -x "$f" ] || { echo "missing $f: run without --no-build" >&2; exit 1; }; done

say "launching each $RUNS times under Xvfb (idle ${IDLE}s before reading memory)"
VENV=$("$ROOT/scripts/python-venv.sh")
# -displayfd: Xvfb picks a free display and writes its number once it accepts connections.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$OUT/display" >"$OUT/xvfb.log" 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$OUT/display" ] && break; sleep 0.1; done
DISPLAY_NUM=$(cat "$OUT/display")
[ -n "$DISPLAY_NUM" ] || { cat "$OUT/xvfb.log" >&2; echo "Xvfb did not start" >&2; exit 1; }
# A session bus, as a desktop session has (the app's single-instance lock and keychain use it).
DISPLAY=":$DISPLAY_NUM" timeout $((RUNS * 2 * (IDLE + 40) + 120)) dbus-run-session -- \
  "$VENV/bin/python" "$ROOT/scripts/measure/launch.py" --runs "$RUNS" --idle "$IDLE" --home "$OUT/home" \
  --out "$OUT/launch.json" \
  "app=Sign in · authdesk=$APP_BIN" "hello=Hello · hello-window=$HELLO_BIN"

"$VENV/bin/python" "$ROOT/scripts/measure/report.py" --launch "$OUT/launch.json" \
  --wasm "app=$ROOT/ui/dist/authdesk_ui_bg.wasm+$(ls "$ROOT"/ui/dist/module_*_routeSignIn*.wasm)" \
  --wasm "hello=$HELLO/ui/dist/hello_window_ui_bg.wasm" --screens "$ROOT/ui/dist" \
  --deb "app=$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/authdesk_*.deb | head -1)" \
  --deb "hello=$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/hello-window_*.deb | head -1)" \
  --json "$OUT/results.json"
say "results: $OUT/results.json"
