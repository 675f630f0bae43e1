#!/usr/bin/env bash
# Make sure the real components the suite uses are on this machine: Debian's chromium (browser
# journeys) and PostgreSQL (the database suite's second run). Installs them when run as root.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]} (Debian packages) for the test suite…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The test suite needs Debian packages: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}) and re-run." >&2
    exit 1
  fi
fi
