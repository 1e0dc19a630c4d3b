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

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# --- Every Debian package the run needs, in one update and one install (the desktop's list is
# run-app.sh's own).
mapfile -t desktop_packages < <(scripts/run-app.sh --print-packages)
scripts/apt-install.sh postgresql-client openssl "${desktop_packages[@]}"

# --- Python with python-jose: tokens must interoperate with the original design's JWT library.
# The venv's packages are pinned in scripts/requirements-test.txt.
VENV=$(scripts/python-venv.sh)
export AUTHDESK_TEST_PYTHON="$VENV/bin/python"
# --- The OpenID Provider the single sign-on stories sign in at (oidc-provider, from npm).
AUTHDESK_TEST_OIDC_MODULES=$(scripts/oidc-provider.sh)
export AUTHDESK_TEST_OIDC_MODULES

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

# --- Rust checks. Every cargo call takes the repo's build lock (builds never overlap), and each has
# a deadline: a hung build or test fails the run instead of holding it.
cargo_locked() { local deadline=$1; shift; timeout -k 30 "$deadline" scripts/locked-cargo.sh "$@"; }
step "server layers import only downward"
python3 scripts/check-layers.py
step "cargo fmt --check"
cargo fmt --all -- --check

# Clippy lints the workspace's own crates as every build below compiles them (clippy-driver as the
# workspace's compiler wrapper, warnings denied), instead of a separate `cargo clippy` pass: that
# pass type-checks every dependency once more, a quarter of a cold run. Tools installed with
# `cargo install` are built without these (see run-app.sh, e2e.sh).
export RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)"
export RUSTFLAGS="-D warnings"

# --- The UI (the wasm target and the wasm-bindgen CLI installed when missing), linted as it builds.
step "building the UI (linted)"
scripts/run-app.sh --ui-only
# (ui/dist is embedded in the shell at compile time; its build script rebuilds it when it changes.)

# --- Everything else in one cargo invocation (its dependencies compiled once, for one feature set):
# the libraries, binaries (the desktop app and the server, which the end-to-end run uses as built
# here), tests and benchmarks, linted; then the tests run.
step "cargo test (contract; server on SQLite and PostgreSQL; desktop shell), linted"
cargo_locked 1800 test --workspace --exclude authdesk-ui --benches --no-run
cargo_locked 3000 test --workspace --exclude authdesk-ui

# --- Desktop app end-to-end in a real window (also refreshes docs/screenshots).
step "end-to-end: the desktop app under Xvfb"
scripts/e2e.sh
step "all tests passed"
