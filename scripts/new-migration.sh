#!/usr/bin/env bash
# Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes the
# existing migrations to prisma/schema.prisma. Non-interactive (unlike `migrate dev`), offline,
# needs any PostgreSQL for the shadow database: DATABASE_URL or the local server on 5432.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: npm run db:new-migration -- <name>}"
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
sql="$(npx prisma migrate diff --from-migrations prisma/migrations --to-schema-datamodel prisma/schema.prisma --script)"
if [[ "$sql" == *"This is an empty migration."* ]]; then echo "schema.prisma matches the migrations: nothing to do"; exit 0; fi
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
printf '%s\n' "$sql" > "$dir/migration.sql"
npx prisma generate >/dev/null
echo "wrote $dir/migration.sql"
