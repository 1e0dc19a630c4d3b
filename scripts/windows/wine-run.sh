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
cp -f "$AUTHDESK_WINE_DLL" "$(dirname "$exe")/bcryptprimitives.dll"
export WINEPREFIX=${WINEPREFIX:-$HOME/.cache/authdesk/wine}
export WINEDEBUG=${WINEDEBUG:--all}
# Tests that read back what Wine only pretends to keep (file ACLs) skip that check.
export AUTHDESK_UNDER_WINE=1
# No display is needed for what runs here; keep Wine from looking for one.
export DISPLAY=
exec /usr/lib/wine/wine64 "$exe" "$@"
