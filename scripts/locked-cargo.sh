#!/usr/bin/env bash
# cargo, one build at a time in this repository: every script's cargo call goes through here and
# holds /tmp/authdesk-cargo.lock, waiting for it at most AUTHDESK_CARGO_LOCK_WAIT seconds (default
# 3600) instead of for ever; a host without flock (macOS) builds one at a time anyway.
#
#   scripts/locked-cargo.sh build -p authdesk-server
set -euo pipefail
LOCK=/tmp/authdesk-cargo.lock
WAIT=${AUTHDESK_CARGO_LOCK_WAIT:-3600}
command -v flock >/dev/null || exec cargo "$@"
# -E 75: tell "waited too long for the lock" apart from cargo's own failures.
status=0
flock -w "$WAIT" -E 75 "$LOCK" cargo "$@" || status=$?
if [ "$status" -eq 75 ]; then
  echo "error: another build held $LOCK for over ${WAIT}s; gave up waiting (cargo $*)" >&2
fi
exit "$status"
