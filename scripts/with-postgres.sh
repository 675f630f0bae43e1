#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a real PostgreSQL.
# Uses $POLYVOX_TEST_DATABASE_URL if set; otherwise starts Debian's cluster and creates a role.
set -euo pipefail
url="${POLYVOX_TEST_DATABASE_URL:-postgres://polyvox:polyvox@127.0.0.1:5432/polyvox}"
if ! pg_isready -q -d "$url" 2>/dev/null; then
  cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1" "$2}')
  if [ -z "$cluster" ]; then
    echo "No PostgreSQL cluster found; install Debian's postgresql (scripts/ensure-test-services.sh)." >&2
    exit 1
  fi
  # shellcheck disable=SC2086
  pg_ctlcluster $cluster start 2>/dev/null || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
fi
if ! psql "$url" -c 'select 1' >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "Cannot connect to $url; set POLYVOX_TEST_DATABASE_URL." >&2; exit 1; }
  runuser -u postgres -- psql -q -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='polyvox') THEN CREATE ROLE polyvox LOGIN SUPERUSER PASSWORD 'polyvox'; END IF; END\$\$;" >/dev/null
  runuser -u postgres -- psql -q -tc "SELECT 1 FROM pg_database WHERE datname='polyvox'" | grep -q 1 \
    || runuser -u postgres -- createdb -O polyvox polyvox
fi
echo "Running on PostgreSQL: ${url%%@*}@…"
DATABASE_URL="$url" exec "$@"
