#!/usr/bin/env bash
# npm-pinned.sh PACKAGE_JSON DIR MODULE: makes sure the npm packages pinned in PACKAGE_JSON are
# installed in DIR (MODULE is the one to look for), and prints DIR. npm runs only when the folder is
# new or the pin changed since it last ran. Needs Node.js (20 or later) and npm.
set -euo pipefail
PACKAGE=$1 DIR=$2 MODULE=$3
STAMP="$DIR/.authdesk-package.json"
command -v node >/dev/null && command -v npm >/dev/null \
  || { echo "FATAL: node and npm are needed for $MODULE (pinned in $PACKAGE)" >&2; exit 1; }
mkdir -p "$DIR"
if ! cmp -s "$PACKAGE" "$STAMP" || [ ! -d "$DIR/node_modules/$MODULE" ]; then
  echo "== installing $MODULE (pinned in $PACKAGE) into $DIR" >&2
  cp "$PACKAGE" "$DIR/package.json"
  (cd "$DIR" && timeout 300 npm install --no-audit --no-fund --omit=dev --loglevel=error >&2)
  cp "$PACKAGE" "$STAMP"
fi
echo "$DIR"
