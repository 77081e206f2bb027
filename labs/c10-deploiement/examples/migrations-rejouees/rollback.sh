#!/usr/bin/env bash
# Revient à la version en service avant le dernier déploiement : ./rollback.sh [VERSION]
#
# Environnement : DEPLOY_DIR (comme deploy.sh), DATABASE_URL, REDIS_URL, SECRET_KEY, PYTHON.
# Sans argument, la version visée est celle notée dans DEPLOY_DIR/previous par deploy.sh.
# La base n'est pas restaurée : les migrations sont additives (une version tourne sur le schéma de
# la suivante) ; restaurer une sauvegarde de backups/ est une décision à part (DEPLOIEMENT.md).
# Codes de sortie : 0 revenu et vérifié ; 1 vérification échouée ; 2 mauvais usage ;
# 3 rien à quoi revenir.
set -euo pipefail

log() { printf '[rollback] %s\n' "$*" >&2; }

main() {
    if [ "$#" -gt 1 ]; then
        echo "usage : $0 [VERSION]" >&2
        return 2
    fi
    if [ -z "${DEPLOY_DIR:-}" ]; then
        log "variable DEPLOY_DIR non définie"
        return 3
    fi
    local target="${1:-}" live=""
    if [ -z "$target" ]; then
        if [ ! -s "$DEPLOY_DIR/previous" ]; then
            log "aucune version précédente notée dans $DEPLOY_DIR/previous"
            return 3
        fi
        target="$(cat "$DEPLOY_DIR/previous")"
    fi
    if [[ ! "$target" =~ ^[0-9A-Za-z._-]+$ ]] || [ ! -d "$DEPLOY_DIR/releases/$target" ]; then
        log "version absente du serveur : $target"
        return 3
    fi
    if [ -L "$DEPLOY_DIR/current" ]; then
        live="$(basename "$(readlink "$DEPLOY_DIR/current")")"
    fi
    ln -sfn "releases/$target" "$DEPLOY_DIR/current.new"
    mv -T "$DEPLOY_DIR/current.new" "$DEPLOY_DIR/current"
    if [ -n "$live" ] && [ "$live" != "$target" ]; then
        printf '%s\n' "$live" >"$DEPLOY_DIR/abandoned"
    fi
    log "en service : $target (abandonnée : ${live:-aucune})"
    if ! "${PYTHON:-python3}" "$DEPLOY_DIR/current/verifier.py" "$DEPLOY_DIR/current/app"; then
        log "la version $target ne répond pas non plus : restaurer la sauvegarde (DEPLOIEMENT.md)"
        return 1
    fi
    log "retour arrière vers $target vérifié"
}

main "$@"
