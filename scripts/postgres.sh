#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages (if missing), starts it on loopback and creates a fresh
# database for the tests. Prints the JDBC URL on its last line. Needs root (CI and dev machines here).
set -euo pipefail
db=${1:-oddsgate_test}
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
cluster=$(pg_lsclusters --no-header | awk -v v="$version" '$1 == v {print $2; exit}')
if [ -z "$cluster" ]; then
  pg_createcluster "$version" main >/dev/null
  cluster=main
fi
pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true   # listens on localhost only (Debian default)
port=$(pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c {print $3}')
su postgres -c "psql -q -p $port -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'oddsgate') THEN CREATE ROLE oddsgate LOGIN PASSWORD 'oddsgate'; END IF; END \\\$\\\$;\""
su postgres -c "dropdb -p $port --if-exists $db && createdb -p $port -O oddsgate $db"
echo "jdbc:postgresql://127.0.0.1:$port/$db"
