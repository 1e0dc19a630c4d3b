#!/usr/bin/env bash
# Makes sure the single sign-on tests' OpenID Provider (panva's oidc-provider, pinned in
# server/tests/oidc/package.json) is installed in AUTHDESK_OIDC_DIR (default
# ~/.cache/authdesk/oidc), and prints that folder. npm runs only when the folder is new or the pin
# changed since it last ran. Needs Node.js (20 or later) and npm.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${AUTHDESK_OIDC_DIR:-$HOME/.cache/authdesk/oidc}
PACKAGE="$ROOT/server/tests/oidc/package.json"
STAMP="$DIR/.authdesk-package.json"
command -v node >/dev/null && command -v npm >/dev/null \
  || { echo "FATAL: node and npm are needed for the single sign-on tests' provider" >&2; exit 1; }
mkdir -p "$DIR"
if ! cmp -s "$PACKAGE" "$STAMP" || [ ! -d "$DIR/node_modules/oidc-provider" ]; then
  echo "== installing the pinned OpenID Provider into $DIR" >&2
  cp "$PACKAGE" "$DIR/package.json"
  (cd "$DIR" && timeout 300 npm install --no-audit --no-fund --omit=dev --loglevel=error >&2)
  cp "$PACKAGE" "$STAMP"
fi
echo "$DIR"
