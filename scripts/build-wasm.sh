#!/usr/bin/env bash
# Builds a Dioxus UI crate to wasm the way the app ships it, into a folder a Tauri shell embeds:
# the wasm (size-first), its wasm-bindgen glue, and the crate's static/ files. A crate built with
# Dioxus's `wasm-split` feature (the app's UI) is then split by route (tools/split-wasm): the
# folder holds the main module and one module per screen, fetched when the screen is first shown.
# The app's UI and the measuring baseline (bench/hello-window) both go through here, so both are
# built the same way.
#
#   scripts/build-wasm.sh MANIFEST PACKAGE OUT_DIR [EXTRA_FILE...]   (extra files are copied in too)
#
# Expects the wasm32 target, the rust-src component and the wasm-bindgen CLI (scripts/run-app.sh
# installs all three). Env: CARGO_TARGET_DIR (default ~/.cache/authdesk/target).
set -euo pipefail

MANIFEST=$1
PACKAGE=$2
OUT=$3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/authdesk/target}
locked_cargo() { "$ROOT/scripts/locked-cargo.sh" "$@"; }

# Size first: the wasm is fetched and compiled at every launch, so bytes are startup time.
# - The standard library is rebuilt with the UI (`-Zbuild-std`, the toolchain's rust-src) for size,
#   and a panic aborts at once (`-Cpanic=immediate-abort`): no panic message is formatted, so the
#   formatting and location machinery is not linked in (-42 KB gzip, BENCHMARKS.md). Both are
#   unstable options of this stable toolchain, enabled for this one build by RUSTC_BOOTSTRAP; a
#   panic in the webview aborts either way (panic = "abort"), only its console message is lost.
# - A crate that turns on Dioxus's `wasm-split` is linked with relocations and symbols: the
#   splitter follows the relocations and matches functions by name; it strips what it writes.
#   (Others without: wasm-bindgen would leave the relocation sections in.)
# - The build-std artifacts go to their own target dir: their flags differ from every other build.
SPLIT=0
grep -q '"wasm-split"' "$MANIFEST" && SPLIT=1
rustflags="-Zunstable-options -Cpanic=immediate-abort"
[ "$SPLIT" = 1 ] && rustflags+=" -Clink-args=--emit-relocs"
WASM_TARGET_DIR=$CARGO_TARGET_DIR/ui-wasm
RUSTC_BOOTSTRAP=1 RUSTFLAGS="${RUSTFLAGS:-} $rustflags" CARGO_TARGET_DIR=$WASM_TARGET_DIR \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  CARGO_PROFILE_RELEASE_STRIP=false CARGO_PROFILE_RELEASE_DEBUG=$([ "$SPLIT" = 1 ] && echo true || echo false) \
  locked_cargo build --manifest-path "$MANIFEST" -p "$PACKAGE" --target wasm32-unknown-unknown --release \
  -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
WASM=$WASM_TARGET_DIR/wasm32-unknown-unknown/release/$PACKAGE.wasm
name=${PACKAGE//-/_}
# Built aside, and OUT replaced only when something in it changed: the shell that embeds OUT rebuilds
# when a file in it changes, so an unchanged UI must leave every file (and its time) alone.
NEW=$(mktemp -d)
trap 'rm -rf "$NEW"' EXIT
if [ "$SPLIT" = 1 ]; then
  # Names kept (mangled, as in the original) for the splitter, which strips them from its output.
  wasm-bindgen --target web --no-typescript --keep-lld-exports --keep-debug --no-demangle \
    --out-dir "$NEW" --out-name "$name" "$WASM"
  (cd "$ROOT" && locked_cargo build -q -p split-wasm)
  "$CARGO_TARGET_DIR/debug/split-wasm" "$WASM" "$NEW" "$name"
else
  # --remove-name-section: the function names only serve stack traces in the webview's console.
  wasm-bindgen --target web --no-typescript --remove-name-section --out-dir "$NEW" --out-name "$name" "$WASM"
fi
CRATE=$(dirname "$MANIFEST")
cp "$CRATE"/static/* "$NEW"/
# A crate's messages (locales/<language>/*.ftl), one file per language the UI fetches when that
# language is spoken: locales/<language>.ftl. English is compiled into the wasm (ui/src/i18n).
for folder in "$CRATE"/locales/*/; do
  [ -d "$folder" ] || continue
  language=$(basename "$folder")
  [ "$language" = en ] && continue
  mkdir -p "$NEW/locales"
  cat "$folder"*.ftl >"$NEW/locales/$language.ftl"
done
for extra in "${@:4}"; do cp "$extra" "$NEW"/; done
if ! diff -rq "$NEW" "$OUT" >/dev/null 2>&1; then
  rm -rf "$OUT" && mkdir -p "$(dirname "$OUT")" && cp -r "$NEW" "$OUT" && chmod 755 "$OUT"
fi
