#!/usr/bin/env bash
# Start the Debian PostgreSQL cluster on loopback and make the role the tests own their databases with.
# That role is an ordinary one (CREATEDB to make a database per test, CREATEROLE to make a study's
# coder and lead logins): no superuser anywhere but the cluster's own `postgres`, which only runs this.
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
sql="DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'annotator') THEN
    CREATE ROLE annotator LOGIN PASSWORD 'annotator';
  END IF;
  ALTER ROLE annotator NOSUPERUSER CREATEDB CREATEROLE NOBYPASSRLS;
END \$\$;"
printf '%s\n' "$sql" | su postgres -c "psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1" >/dev/null 2>&1 \
  || printf '%s\n' "$sql" | su postgres -c "psql -q -v ON_ERROR_STOP=1" >/dev/null
echo "postgresql://annotator:annotator@127.0.0.1:5432/postgres"
