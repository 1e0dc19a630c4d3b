#!/usr/bin/env bash
# What Orca, GNOME's screen reader, says in the desktop app (README "Accessibility"): starts the
# app under Xvfb with the accessibility bus and Orca (speech is logged in Orca's debug file; no
# sound), goes through the sign-in screen, signs up and adds a task with the keyboard only, and
# prints what Orca said, step by step. A check by ear made repeatable; not part of the test command
# (Orca belongs to a desktop, not to CI).
#
#   scripts/orca-transcript.sh [APP]     APP: the desktop binary (default: the debug build)
#
# Needs (Debian): orca xdotool dbus-x11 at-spi2-core xvfb (and libao, which orca brings).
set -euo pipefail
APP=${1:-${CARGO_TARGET_DIR:-$HOME/.cache/authdesk/target}/debug/authdesk-desktop}
WORK=$(mktemp -d)
LOG="$WORK/orca.log"
export DISPLAY=:97
# A home of its own: speech goes to libao's null driver (no sound card needed; Orca logs each
# utterance either way), and Orca starts with its default settings.
export HOME="$WORK/home"
mkdir -p "$HOME/.config/speech-dispatcher"
sed -E 's/^#? *AudioOutputMethod .*/AudioOutputMethod "libao"/' /etc/speech-dispatcher/speechd.conf \
  >"$HOME/.config/speech-dispatcher/speechd.conf"
echo "default_driver=null" >"$HOME/.libao"
Xvfb "$DISPLAY" -screen 0 1280x800x24 >/dev/null 2>&1 &
pids=($!)
eval "$(dbus-launch --sh-syntax)"
pids+=("$DBUS_SESSION_BUS_PID")
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
pids+=($!)

# Waits (at most 30 s) until Orca's log has $1.
logged() {
  for _ in $(seq 1 150); do
    grep -q "$1" "$LOG" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "Orca never logged: $1" >&2
  exit 1
}
# What Orca said since the last call, without the echo of each key.
said() {
  sleep 2 # Orca speaks a moment after the event
  local all
  all=$(grep "SPEECH OUTPUT" "$LOG" | sed -E "s/.*SPEECH OUTPUT: '(.*)' ?\{.*/\1/")
  tail -n +"$((${SEEN:-0} + 1))" <<<"$all" | grep -Ev '^(.|tab|return|space|left shift|dot|at|•) ?$' | sed 's/^/    /' || true
  SEEN=$(wc -l <<<"$all")
}
step() { echo "$1"; }
keys() { for k in "$@"; do xdotool key "$k"; sleep 0.6; done; }

timeout 300 orca --replace --debug-file "$LOG" >/dev/null 2>&1 &
pids+=($!)
logged "Screen reader on"
AUTHDESK_DATA_DIR="$WORK/data" AUTHDESK_THEME=light timeout 300 "$APP" >"$WORK/app.log" 2>&1 &
pids+=($!)
logged "Sign in · authdesk"
sleep 2
SEEN=0
step "The app opens on Sign in:"; said
step "Tab, five times:"; keys Tab Tab Tab Tab Tab; said
step "Enter on \"Create one\", then the address and a password, Enter:"
keys Return
xdotool type --delay 40 "orca@example.com"; keys Tab
xdotool type --delay 40 "Passw0rd!x"; keys Return
logged "Tasks · authdesk"; sleep 2; said
step "A task typed, Enter, then Tab through the dashboard:"
xdotool type --delay 40 "Buy milk"; keys Return
sleep 1; keys Tab Tab Tab Tab Tab; said
