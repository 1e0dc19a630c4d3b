#!/usr/bin/env bash
# Runs a Windows .exe under Wine with the test tooling's stand-in bcryptprimitives.dll beside it
# (see bcryptprimitives.c: Wine 8 lacks it; real Windows does not). Cargo uses this as the runner
# for x86_64-pc-windows-gnu (`cargo test --target x86_64-pc-windows-gnu`), and scripts/windows.sh
# runs authdesk-server.exe with it.
#   scripts/windows/wine-run.sh <program.exe> [args...]
# Env: AUTHDESK_WINE_DLL (the built stand-in; required), WINEPREFIX (default ~/.cache/authdesk/wine).
set -euo pipefail
exe=$1
shift
: "${AUTHDESK_WINE_DLL:?build the stand-in DLL first (scripts/windows.sh does)}"
dir=$(dirname "$exe")
cp -f "$AUTHDESK_WINE_DLL" "$dir/bcryptprimitives.dll"
# A test binary lives in deps/, while the binaries it starts (authdesk-server.exe) and
# WebView2Loader.dll (which the desktop's binaries load at start) are one folder up: Windows looks
# for a DLL beside the .exe that loads it, so both folders get what their programs need.
if [ "$(basename "$dir")" = deps ]; then
  cp -f "$AUTHDESK_WINE_DLL" "$dir/../bcryptprimitives.dll"
  if [ -f "$dir/../WebView2Loader.dll" ]; then
    cp -f "$dir/../WebView2Loader.dll" "$dir/"
  fi
fi
export WINEPREFIX=${WINEPREFIX:-$HOME/.cache/authdesk/wine}
export WINEDEBUG=${WINEDEBUG:--all}
# Tests that read back what Wine only pretends to keep (file ACLs) skip that check.
export AUTHDESK_UNDER_WINE=1
# No display is needed for what runs here; keep Wine from looking for one.
export DISPLAY=
exec /usr/lib/wine/wine64 "$exe" "$@"
