#!/usr/bin/env bash
# Serve Polyvox for the demo: the web server plus one background task worker (opinion maps,
# campaign detection), stopped together.
set -euo pipefail
port="${1:-8000}"
py=.venv/bin/python
mkdir -p var
"$py" manage.py db_worker --queue-name default >var/worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Background worker started (log: var/worker.log)."
"$py" manage.py runserver "127.0.0.1:$port"
