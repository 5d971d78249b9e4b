#!/bin/sh
# docker-compose.yml's `temporal-schema` (temporalio/admin-tools): creates Temporal's two PostgreSQL databases and
# brings their schemas to the version the admin-tools image ships, before `temporal` starts. Every step is
# idempotent ("create" accepts an existing database, setup-schema skips a versioned one, update-schema applies only
# what is missing), so it runs on every `docker compose up` and migrates the schema after an image upgrade.
set -eu
: "${POSTGRES_SEEDS:?POSTGRES_SEEDS names the PostgreSQL host}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"
port=${DB_PORT:-5432}
schemas=/etc/temporal/schema/postgresql/v12

sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$port" "$@"; }

for db in temporal temporal_visibility; do
  dir=$schemas/temporal/versioned
  [ "$db" = temporal_visibility ] && dir=$schemas/visibility/versioned
  sql --db "$db" create
  sql --db "$db" setup-schema -v 0.0
  sql --db "$db" update-schema -d "$dir"
done
echo "temporal-schema: databases temporal and temporal_visibility are up to date"
