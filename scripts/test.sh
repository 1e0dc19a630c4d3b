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
# The venv's packages are pinned in scripts/requirements-test.txt.
apt_install python3-venv postgresql-client openssl
VENV=$(scripts/python-venv.sh)
export AUTHDESK_TEST_PYTHON="$VENV/bin/python"

# --- PostgreSQL with TLS: the given server, the local one if it has TLS, or a throwaway cluster
# (scripts/with-postgres.sh).
if [ -z "${AUTHDESK_TEST_POSTGRES_READY:-}" ]; then
  export AUTHDESK_TEST_POSTGRES_READY=1
  exec scripts/with-postgres.sh "$0" "$@"
fi

# --- Toolchain pieces a minimal rustup profile may lack.
for component in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
done

# --- The desktop app: system packages (WebKitGTK, Xvfb, WebKitWebDriver), the wasm target, the
# wasm-bindgen CLI of the lockfile's version, then the UI and the shell. The workspace's Rust checks
# below need all of it.
step "building the desktop app (installs what is missing)"
scripts/run-app.sh --build-only

# --- Rust checks and tests. Every cargo call takes the repo's build lock (builds never overlap),
# and each has a deadline: a hung build or test fails the run instead of holding it.
cargo_locked() { local deadline=$1; shift; timeout -k 30 "$deadline" scripts/locked-cargo.sh "$@"; }
step "server layers import only downward"
python3 scripts/check-layers.py
step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy"
cargo_locked 2400 clippy --workspace --exclude authdesk-ui --all-targets -- -D warnings
cargo_locked 900 clippy -p authdesk-ui --target wasm32-unknown-unknown -- -D warnings
step "cargo test (contract; server on SQLite and PostgreSQL; desktop shell)"
cargo_locked 3000 test --workspace --exclude authdesk-ui

# --- Desktop app end-to-end in a real window (also refreshes docs/screenshots).
step "end-to-end: the desktop app under Xvfb"
scripts/e2e.sh
step "all tests passed"
