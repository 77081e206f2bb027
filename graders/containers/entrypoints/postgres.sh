#!/bin/sh
# Offline stand-in for the official postgres image's entrypoint (the part our labs use):
# POSTGRES_PASSWORD(_FILE), POSTGRES_USER(_FILE), POSTGRES_DB(_FILE), POSTGRES_INITDB_ARGS,
# POSTGRES_HOST_AUTH_METHOD, PGDATA and /docker-entrypoint-initdb.d (*.sql, *.sql.gz, *.sh).
# Runs as the non-root user `postgres` (uid 999, as in the official image).
set -eu

file_env() {  # VAR from VAR or from the file named by VAR_FILE (Compose secrets)
	eval "value=\${$1:-}"
	eval "file=\${$1_FILE:-}"
	if [ -n "$file" ]; then value=$(cat "$file"); fi
	export "$1=$value"
}

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi
if [ "$1" != postgres ]; then exec "$@"; fi
shift

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA
file_env POSTGRES_PASSWORD
file_env POSTGRES_USER
file_env POSTGRES_DB
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	if [ -z "$POSTGRES_PASSWORD" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
		echo "Error: Database is uninitialized and superuser password is not specified." >&2
		echo "       Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE)." >&2
		exit 1
	fi
	mkdir -p "$PGDATA"
	chmod 0700 "$PGDATA"
	pwfile=$(mktemp)
	printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
	# shellcheck disable=SC2086
	initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
		--auth-local=trust --auth-host="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" \
		${POSTGRES_INITDB_ARGS:-} >/dev/null
	rm -f "$pwfile"
	printf 'host all all all %s\n' "${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >> "$PGDATA/pg_hba.conf"
	pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c jit=off" -w start >/dev/null
	if [ "$POSTGRES_DB" != postgres ]; then
		psql -v ON_ERROR_STOP=1 -q --username "$POSTGRES_USER" --dbname postgres \
			-c "CREATE DATABASE \"$POSTGRES_DB\""
	fi
	for f in /docker-entrypoint-initdb.d/*; do
		case "$f" in
			*.sh) echo "running $f"; . "$f" ;;
			*.sql) echo "running $f"; psql -v ON_ERROR_STOP=1 -q --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -f "$f" ;;
			*.sql.gz) echo "running $f"; gunzip -c "$f" | psql -v ON_ERROR_STOP=1 -q --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" ;;
			*) ;;
		esac
	done
	pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
	echo "PostgreSQL init process complete; ready for start up."
fi
exec postgres -c listen_addresses='*' -c jit=off "$@"
