#!/usr/bin/env bash
# Déploie une version de la médiathèque : ./deploy.sh VERSION
# Contrat (voir l'énoncé) : RELEASES_DIR, DEPLOY_DIR, DATABASE_URL, REDIS_URL, SECRET_KEY, PYTHON.
set -euo pipefail

echo "deploy.sh : à écrire" >&2
exit 1
