#!/usr/bin/env bash
# Windows, from this Debian/Ubuntu machine: cross-builds authdesk-server.exe and
# authdesk-desktop.exe with MinGW-w64, and runs them under Wine 8.
#
#   scripts/windows.sh build   the two release .exe files and the per-user NSIS installer
#                              (installer/windows/authdesk.nsi, Debian's makensis), into
#                              $CARGO_TARGET_DIR/x86_64-pc-windows-gnu/release[/bundle]
#   scripts/windows.sh test    build, then under Wine: the HTTP story (scripts/windows/http_story.py)
#                              against authdesk-server.exe on SQLite; the installer installed
#                              silently, checked (files, shortcut, Apps & features entry) and
#                              uninstalled; the desktop shell's tests and the server's tests
#                              (cargo test --target x86_64-pc-windows-gnu with Wine as the
#                              runner, PostgreSQL as for the Linux suite, over TCP)
#
# Not part of ./scripts/test.sh: the cross builds add about 17 minutes to a cold run (measured on
# this 2-core machine), which would take the test command past its 45-minute budget.
# Env: CARGO_TARGET_DIR (default ~/.cache/authdesk/target). Every spawned process has a deadline.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/authdesk/target}"
TARGET=x86_64-pc-windows-gnu
OUT="$CARGO_TARGET_DIR/$TARGET/release"
say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
fail() { printf '\033[1;31mFATAL:\033[0m %s\n' "$*" >&2; exit 1; }
locked_cargo() { "$ROOT/scripts/locked-cargo.sh" "$@"; }

scripts/apt-install.sh gcc-mingw-w64-x86-64 wine64 nsis
rustup target list --installed | grep -qx "$TARGET" || rustup target add "$TARGET"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc

build() {
  # The window embeds the UI: build it first.
  scripts/run-app.sh --ui-only
  say "cross-building authdesk-server.exe and authdesk-desktop.exe ($TARGET, release)"
  timeout 3600 "$ROOT/scripts/locked-cargo.sh" build --release --target "$TARGET" -p authdesk-server -p authdesk-desktop
  ls -l "$OUT/authdesk-server.exe" "$OUT/authdesk-desktop.exe" >&2
  local version
  version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
  INSTALLER="$OUT/bundle/authdesk_${version}_x64-setup.exe"
  mkdir -p "$OUT/bundle"
  say "building the installer with makensis"
  timeout 600 makensis -V2 -DEXE_DIR="$OUT" -DVERSION="$version" -DOUT_FILE="$INSTALLER" \
    -DICON="$ROOT/icons/icon.ico" installer/windows/authdesk.nsi
  ls -l "$INSTALLER" >&2
}

wine() { DISPLAY= WINEDEBUG=-all timeout 300 /usr/lib/wine/wine64 "$@"; }

# Installs silently for this (Wine) user, checks what a user would find, uninstalls, checks again.
installer_round_trip() {
  local key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\authdesk'
  local home="$WINEPREFIX/drive_c/users/$(id -un)"
  local dir="$home/AppData/Local/Programs/authdesk"
  say "the installer under Wine: install, look, uninstall"
  wine "$INSTALLER" /S
  for f in authdesk-desktop.exe WebView2Loader.dll uninstall.exe; do
    [ -f "$dir/$f" ] || fail "the installer did not put $f in $dir"
  done
  [ -f "$home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/authdesk.lnk" ] || fail "no Start menu shortcut"
  wine reg query "$key" /v UninstallString >/dev/null || fail "no Apps & features entry"
  wine "$dir/uninstall.exe" /S
  # The uninstaller runs from a copy of itself and returns at once: give it a moment.
  local deadline=$((SECONDS + 30))
  while [ -e "$dir/authdesk-desktop.exe" ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "the uninstaller left $dir/authdesk-desktop.exe"
    sleep 0.5
  done
  ! wine reg query "$key" >/dev/null 2>&1 || fail "the uninstaller left the Apps & features entry"
}

stand_in_dll() {
  # Test tooling only (see scripts/windows/bcryptprimitives.c): never next to a shipped .exe.
  local dll="$CARGO_TARGET_DIR/wine-tooling/bcryptprimitives.dll"
  mkdir -p "$(dirname "$dll")"
  if [ ! -f "$dll" ] || [ scripts/windows/bcryptprimitives.c -nt "$dll" ]; then
    say "building the stand-in bcryptprimitives.dll for Wine"
    x86_64-w64-mingw32-gcc -O2 -shared -o "$dll" scripts/windows/bcryptprimitives.c -ladvapi32
  fi
  echo "$dll"
}

test_under_wine() {
  export AUTHDESK_WINE_DLL
  AUTHDESK_WINE_DLL=$(stand_in_dll)
  export WINEPREFIX="$HOME/.cache/authdesk/wine"
  if [ ! -d "$WINEPREFIX" ]; then
    say "creating the Wine prefix $WINEPREFIX"
    wine wineboot --init >/dev/null 2>&1 || true
  fi

  local work port pid status=0
  work=$(mktemp -d /tmp/authdesk-wine.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cp "$OUT/authdesk-server.exe" "$work/"
  say "authdesk-server.exe serve under Wine on 127.0.0.1:$port (SQLite)"
  DATABASE_URL="sqlite:authdesk.db" BETTER_AUTH_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))') \
    AUTHDESK_LOGIN_RATE_LIMIT=off RUST_LOG=warn \
    timeout 600 bash -c "cd '$work' && exec '$ROOT/scripts/windows/wine-run.sh' '$work/authdesk-server.exe' serve --bind 127.0.0.1:$port" \
    >"$work/server.log" 2>&1 &
  pid=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS --max-time 2 "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "authdesk-server.exe exited under Wine (log above)"; }
    [ "$SECONDS" -lt "$deadline" ] || { cat "$work/server.log" >&2; fail "authdesk-server.exe did not answer within 60 s"; }
    sleep 0.5
  done
  timeout 120 python3 scripts/windows/http_story.py "http://127.0.0.1:$port" || status=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ "$status" -eq 0 ] || { cat "$work/server.log" >&2; fail "the HTTP story failed against authdesk-server.exe"; }

  installer_round_trip

  export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$ROOT/scripts/windows/wine-run.sh"
  say "the desktop shell's tests under Wine"
  timeout 3600 "$ROOT/scripts/locked-cargo.sh" test --target "$TARGET" -p authdesk-desktop --lib --test shell

  # A Windows program under Wine cannot start a Linux one and wait for it (Wine runs it detached,
  # without a process handle), so the stories whose peer is a Linux program are left to Linux
  # (scripts/test.sh) and to real Windows (the release workflow, with Windows' Python and
  # PostgreSQL): Python (python-jose, PyJWT, openapi-spec-validator, schemathesis, aiosmtpd) and a
  # PostgreSQL cluster of the test's own (initdb, pg_ctl). Everything else runs, on both databases.
  local linux_peers=(
    compat::sqlite::our_tokens_verify_in_python_jose compat::postgres::our_tokens_verify_in_python_jose
    openapi::sqlite::the_document_is_valid_and_names_every_route
    openapi::postgres::the_document_is_valid_and_names_every_route
    openapi::sqlite::schemathesis_finds_nothing_wrong openapi::postgres::schemathesis_finds_nothing_wrong
    signing_keys::sqlite::other_services_verify_our_tokens_with_the_published_keys
    signing_keys::postgres::other_services_verify_our_tokens_with_the_published_keys
    password_reset:: faults::a_database_restart_under_load postgres_tls::
  )
  say "the server's tests under Wine (SQLite, and PostgreSQL over TCP); left to Linux and Windows:"
  printf '    %s\n' "${linux_peers[@]}" >&2
  local skips=()
  for name in "${linux_peers[@]}"; do skips+=(--skip "$name"); done
  AUTHDESK_TEST_POSTGRES="${AUTHDESK_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}" \
    timeout 3600 "$ROOT/scripts/locked-cargo.sh" test --target "$TARGET" -p authdesk-server --test server \
    -- "${skips[@]}"
  say "Windows: built, and passed under Wine"
}

case "${1:-}" in
  build) build ;;
  test) build && test_under_wine ;;
  *) fail "usage: scripts/windows.sh build|test" ;;
esac
