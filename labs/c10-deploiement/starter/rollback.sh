#!/usr/bin/env bash
# Revient à la version en service avant le dernier déploiement : ./rollback.sh [VERSION]
set -euo pipefail

echo "rollback.sh : à écrire" >&2
exit 1
