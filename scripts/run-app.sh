#!/usr/bin/env bash
# Builds and runs the authdesk desktop app (embedded SQLite server) from a fresh clone.
#
#   scripts/run-app.sh               install what is missing, build the UI and the shell, run
#   scripts/run-app.sh --build-only  the same without running (e2e.sh uses this)
#   scripts/run-app.sh --release     build the shell in release mode
#   scripts/run-app.sh --ui-only     only the UI into ui/dist (any host: no system packages; the
#                                    Windows cross build and the release workflow use this)
#   scripts/run-app.sh --print-packages  the Debian packages it installs, one a line (test.sh)
#
# Env: CARGO_TARGET_DIR (default ~/.cache/authdesk/target), AUTHDESK_DATA_DIR (app data folder).
# Every cargo call holds /tmp/authdesk-cargo.lock so concurrent builds in this repo take turns.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/authdesk/target}
RUN=1
UI_ONLY=0
PRINT_PACKAGES=0
PROFILE=debug
# The desktop's release opt-level (scripts/measure-desktop.sh builds its baseline with it too).
DESKTOP_RELEASE_OPT_LEVEL=s
for arg in "$@"; do
  case $arg in
    --build-only) RUN=0 ;;
    --ui-only) RUN=0; UI_ONLY=1 ;;
    --release) PROFILE=release ;;
    --print-packages) PRINT_PACKAGES=1 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
locked_cargo() { "$ROOT/scripts/locked-cargo.sh" "$@"; }

# What building, running and testing the window needs: WebKitGTK (headers for the build), a C
# toolchain, Mesa (WebKit renders with its software GL under Xvfb), Xvfb and WebKitWebDriver for
# the end-to-end run, curl, python3-venv for its client.
# (Nothing else: the app uses no tray, no libxdo, no OpenSSL, no librsvg.)
DESKTOP_PACKAGES=(libwebkit2gtk-4.1-dev libgl1-mesa-dri build-essential pkg-config curl xvfb webkit2gtk-driver python3-venv)

ensure_system_packages() {
  "$ROOT/scripts/apt-install.sh" "${DESKTOP_PACKAGES[@]}"
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  # The UI's standard library is rebuilt for size (scripts/build-wasm.sh) from the toolchain's own
  # sources.
  if ! rustup component list --installed | grep -q '^rust-src'; then
    say "adding the rust-src component"
    rustup component add rust-src
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
    # A tool, not the workspace: built without the test command's lint wrapper and flags, and
    # unoptimised (it compiles in half the time; it only rewrites one small wasm file).
    local install=(env -u RUSTC_WORKSPACE_WRAPPER -u RUSTFLAGS "$ROOT/scripts/locked-cargo.sh" install --debug)
    "${install[@]}" wasm-bindgen-cli --version "$want" --locked || "${install[@]}" wasm-bindgen-cli --version "$want"
  fi
}

build_ui() {
  say "building the UI (Dioxus -> wasm)"
  # The icon goes in under the name the page uses.
  mkdir -p "$CARGO_TARGET_DIR" && cp "$ROOT/icons/128x128.png" "$CARGO_TARGET_DIR/icon.png"
  "$ROOT/scripts/build-wasm.sh" "$ROOT/ui/Cargo.toml" authdesk-ui "$ROOT/ui/dist" "$CARGO_TARGET_DIR/icon.png"
}

build_shell() {
  say "building the desktop shell ($PROFILE)"
  if [ "$PROFILE" = release ]; then
    # Size first (the .deb, launch): one user's embedded server does not need opt-level 3.
    CARGO_PROFILE_RELEASE_OPT_LEVEL=$DESKTOP_RELEASE_OPT_LEVEL locked_cargo build -p authdesk-desktop --release
  else
    locked_cargo build -p authdesk-desktop
  fi
}

if [ "$PRINT_PACKAGES" = 1 ]; then
  printf '%s\n' "${DESKTOP_PACKAGES[@]}"
  exit 0
fi
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
