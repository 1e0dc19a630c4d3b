#!/usr/bin/env bash
# Installs the Debian packages named that are missing, in one `apt-get update` and one install,
# without recommended packages (only what is named and what it depends on). Every script installs
# through here. Nothing to do, nothing run.
#
#   scripts/apt-install.sh PACKAGE...
set -euo pipefail
missing=()
for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
printf '\033[1;34m==>\033[0m installing %s (Debian packages)\n' "${missing[*]}" >&2
timeout 600 $SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive timeout 1200 $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
