#!/usr/bin/env bash
# The headless server's memory (BENCHMARKS.md, issue 23): VmRSS one second after the first health
# check answered on an empty SQLite file (page cache dropped first, when run as root), then right
# after a 32-client `wrk` load on GET /api/tasks (one user, 20 tasks) and 60 s later.
# usage: scripts/measure-server-memory.sh [path/to/authdesk-server]   (needs curl, wrk, python3)
set -euo pipefail
bin=${1:-${CARGO_TARGET_DIR:-target}/release/authdesk-server}
dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
export BETTER_AUTH_SECRET=0123456789abcdef0123456789abcdef0123456789abcdef DATABASE_URL=sqlite:$dir/a.db \
  AUTHDESK_LOGIN_RATE_LIMIT=off AUTHDESK_REGISTER_RATE_LIMIT=off RUST_LOG=warn NO_COLOR=1
base=http://127.0.0.1:$port
rss() { awk -v k="$2:" '$1 == k {print $2}' /proc/$1/status; }
start() {
  "$bin" serve --bind 127.0.0.1:$port >"$dir/log" 2>&1 &
  pid=$!
  timeout 30 bash -c "until curl -sf $base/api/health >/dev/null; do sleep 0.05; done"
}
post() { curl -sf --max-time 10 -X POST -H 'content-type: application/json' "$@"; }

[ "$(id -u)" = 0 ] && sync && echo 3 >/proc/sys/vm/drop_caches
start
sleep 1
echo "idle: VmRSS $(rss $pid VmRSS) KiB (RssAnon $(rss $pid RssAnon) KiB)"

body='{"email":"memory@example.com","password":"Correct-Horse-9"}'
post -d "$body" $base/api/auth/register >/dev/null
token=$(post -d "$body" $base/api/auth/login | python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])')
for i in $(seq 20); do post -H "authorization: Bearer $token" -d "{\"title\":\"task $i\"}" $base/api/tasks >/dev/null; done
timeout 30 wrk -t2 -c32 -d8s -H "authorization: Bearer $token" $base/api/tasks | grep Requests/sec
echo "after the load: VmRSS $(rss $pid VmRSS) KiB"
sleep 60
echo "a minute later: VmRSS $(rss $pid VmRSS) KiB"
