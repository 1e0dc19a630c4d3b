#!/usr/bin/env bash
# Builds a Dioxus UI crate to wasm the way the app ships it, into a folder a Tauri shell embeds:
# the wasm (size-first release profile), its wasm-bindgen glue, and the crate's static/ files.
# The app's UI and the measuring baseline (bench/hello-window) both go through here, so both are
# built the same way.
#
#   scripts/build-wasm.sh MANIFEST PACKAGE OUT_DIR [EXTRA_FILE...]   (extra files are copied in too)
#
# Expects the wasm32 target and the wasm-bindgen CLI (scripts/run-app.sh installs both).
# Env: CARGO_TARGET_DIR (default ~/.cache/authdesk/target).
set -euo pipefail

MANIFEST=$1
PACKAGE=$2
OUT=$3
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/authdesk/target}
locked_cargo() { "$(dirname "$0")/locked-cargo.sh" "$@"; }

# Size first: the wasm is fetched and compiled at every launch, so bytes are startup time. (Not
# stripped by the linker: wasm-bindgen reads a custom section, and drops the names itself.)
CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  CARGO_PROFILE_RELEASE_PANIC=abort CARGO_PROFILE_RELEASE_STRIP=false \
  locked_cargo build --manifest-path "$MANIFEST" -p "$PACKAGE" --target wasm32-unknown-unknown --release
name=${PACKAGE//-/_}
# Built aside, and OUT replaced only when something in it changed: the shell that embeds OUT rebuilds
# when a file in it changes, so an unchanged UI must leave every file (and its time) alone.
NEW=$(mktemp -d)
trap 'rm -rf "$NEW"' EXIT
# --remove-name-section: the function names only serve stack traces in the webview's console.
wasm-bindgen --target web --no-typescript --remove-name-section --out-dir "$NEW" --out-name "$name" \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/$PACKAGE.wasm"
cp "$(dirname "$MANIFEST")"/static/* "$NEW"/
for extra in "${@:4}"; do cp "$extra" "$NEW"/; done
if ! diff -rq "$NEW" "$OUT" >/dev/null 2>&1; then
  rm -rf "$OUT" && mkdir -p "$(dirname "$OUT")" && cp -r "$NEW" "$OUT" && chmod 755 "$OUT"
fi
