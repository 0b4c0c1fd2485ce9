#!/usr/bin/env bash
# Start the Debian PostgreSQL cluster on loopback and make a role the tests can use.
# Prints the URL to use as ANNOTATOR_TEST_PG_URL.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
    pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 && break
    sleep 0.5
done
su postgres -c "psql -q -h 127.0.0.1 -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'annotator') THEN CREATE ROLE annotator LOGIN SUPERUSER PASSWORD 'annotator'; END IF; END \\\$\\\$;\"" >/dev/null 2>&1 \
  || su postgres -c "psql -q -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'annotator') THEN CREATE ROLE annotator LOGIN SUPERUSER PASSWORD 'annotator'; END IF; END \\\$\\\$;\"" >/dev/null
echo "postgresql://annotator:annotator@127.0.0.1:5432/postgres"
