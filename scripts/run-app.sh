#!/usr/bin/env bash
# Builds and runs the authdesk desktop app (embedded SQLite server) from a fresh clone.
#
#   scripts/run-app.sh               install what is missing, build the UI and the shell, run
#   scripts/run-app.sh --build-only  the same without running (e2e.sh uses this)
#   scripts/run-app.sh --release     build the shell in release mode
#   scripts/run-app.sh --ui-only     only the UI into ui/dist (any host: no system packages; the
#                                    Windows cross build and the release workflow use this)
#
# Env: CARGO_TARGET_DIR (default ~/.cache/authdesk/target), AUTHDESK_DATA_DIR (app data folder).
# Every cargo call holds /tmp/authdesk-cargo.lock so concurrent builds in this repo take turns.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/authdesk/target}
RUN=1
UI_ONLY=0
PROFILE=debug
# The desktop's release opt-level (scripts/measure-desktop.sh builds its baseline with it too).
DESKTOP_RELEASE_OPT_LEVEL=s
for arg in "$@"; do
  case $arg in
    --build-only) RUN=0 ;;
    --ui-only) RUN=0; UI_ONLY=1 ;;
    --release) PROFILE=release ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
locked_cargo() { "$ROOT/scripts/locked-cargo.sh" "$@"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_system_packages() {
  if dpkg -s libwebkit2gtk-4.1-dev >/dev/null 2>&1; then return; fi
  say "installing system packages (WebKitGTK, Xvfb, WebKitWebDriver, ImageMagick, python3-venv)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y \
    libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev \
    libayatana-appindicator3-dev librsvg2-dev xvfb webkit2gtk-driver imagemagick xauth python3-venv
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# The CLI must be exactly the wasm-bindgen crate version in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
  local want have
  want=$(wasm_bindgen_version)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (found: ${have:-none})"
    # --locked can fail when the crate's lock pins a version missing from the index; retry without.
    locked_cargo install wasm-bindgen-cli --version "$want" --locked || locked_cargo install wasm-bindgen-cli --version "$want"
  fi
}

build_ui() {
  say "building the UI (Dioxus -> wasm)"
  "$ROOT/scripts/build-wasm.sh" "$ROOT/ui/Cargo.toml" authdesk-ui "$ROOT/ui/dist"
  cp "$ROOT/icons/128x128.png" "$ROOT/ui/dist/icon.png"
}

build_shell() {
  say "building the desktop shell ($PROFILE)"
  # ui/dist is embedded at compile time: make sure the binary picks up the fresh build.
  touch "$ROOT/src-tauri/src/main.rs"
  if [ "$PROFILE" = release ]; then
    # Size first (the .deb, launch): one user's embedded server does not need opt-level 3.
    CARGO_PROFILE_RELEASE_OPT_LEVEL=$DESKTOP_RELEASE_OPT_LEVEL locked_cargo build -p authdesk-desktop --release
  else
    locked_cargo build -p authdesk-desktop
  fi
}

cd "$ROOT"
[ "$UI_ONLY" = 1 ] || ensure_system_packages
ensure_wasm_target
ensure_wasm_bindgen
build_ui
if [ "$UI_ONLY" = 1 ]; then
  say "built the UI into $ROOT/ui/dist"
  exit 0
fi
build_shell
APP="$CARGO_TARGET_DIR/$PROFILE/authdesk-desktop"
say "built $APP"
if [ "$RUN" = 1 ]; then
  exec "$APP"
fi
