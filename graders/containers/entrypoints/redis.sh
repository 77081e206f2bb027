#!/bin/sh
# Offline stand-in for the official redis image's entrypoint: `redis-server` by default, and
# protected mode off unless the configuration file given sets it (as the official image does).
set -eu
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
	shift
	config=
	if [ "$#" -gt 0 ] && [ -f "$1" ]; then config=$1; shift; fi
	if [ -n "$config" ] && grep -q '^protected-mode' "$config"; then
		set -- redis-server "$config" "$@"
	elif [ -n "$config" ]; then
		set -- redis-server "$config" --protected-mode no "$@"
	else
		set -- redis-server --protected-mode no "$@"
	fi
fi
exec "$@"
