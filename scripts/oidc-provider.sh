#!/usr/bin/env bash
# Makes sure the single sign-on tests' OpenID Provider (panva's oidc-provider, pinned in
# server/tests/oidc/package.json) is installed in AUTHDESK_OIDC_DIR (default
# ~/.cache/authdesk/oidc), and prints that folder.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
exec "$ROOT/scripts/npm-pinned.sh" "$ROOT/server/tests/oidc/package.json" \
  "${AUTHDESK_OIDC_DIR:-$HOME/.cache/authdesk/oidc}" oidc-provider
