#!/usr/bin/env bash
# Serve Polyvox for the demo: the development web server plus `polyvox worker` (background tasks
# such as opinion maps and campaign detection, and the record integrator that signs checkpoints),
# stopped together. DEBUG is asked for here; production runs `polyvox serve` (docs/deploy.md).
set -euo pipefail
port="${1:-8000}"
py=.venv/bin/python
export POLYVOX_DEBUG=1
export POLYVOX_SITE_URL="${POLYVOX_SITE_URL:-http://127.0.0.1:$port}"
mkdir -p var
"$py" manage.py worker >var/worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Worker started: background tasks and the record integrator (log: var/worker.log)."
"$py" manage.py runserver "127.0.0.1:$port"
