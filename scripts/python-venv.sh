#!/usr/bin/env bash
# Makes sure the tests' Python venv (AUTHDESK_VENV, default ~/.cache/authdesk/venv) holds exactly the
# pinned packages of scripts/requirements-test.txt, and prints its path. pip runs only when the
# venv is new or the pins changed since it last ran.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${AUTHDESK_VENV:-$HOME/.cache/authdesk/venv}
REQUIREMENTS="$ROOT/scripts/requirements-test.txt"
STAMP="$VENV/.authdesk-requirements.txt"
if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating the Python venv $VENV" >&2
  python3 -m venv "$VENV"
fi
if ! cmp -s "$REQUIREMENTS" "$STAMP"; then
  echo "== installing the pinned test packages into $VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --timeout 60 --retries 3 -r "$REQUIREMENTS" >&2
  cp "$REQUIREMENTS" "$STAMP"
fi
echo "$VENV"
