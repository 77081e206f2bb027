#!/usr/bin/env bash
# Déploie une version de la médiathèque : ./deploy.sh VERSION
#
# Environnement :
#   RELEASES_DIR  dossier des versions livrées (RELEASES_DIR/VERSION/{app,migrations,verifier.py})
#   DEPLOY_DIR    dossier du serveur : releases/, current (lien), previous, backups/
#   DATABASE_URL  base PostgreSQL de l'environnement (REDIS_URL et SECRET_KEY pour la vérification)
#   PYTHON        interpréteur de l'application (python3 par défaut)
#
# Étapes : sauvegarde de la base, copie de la version, migrations non encore appliquées (chacune
# dans une transaction, notée dans schema_migrations), bascule du lien current, vérification.
# Codes de sortie : 0 déployé et vérifié ; 1 vérification échouée (lancer rollback.sh) ;
# 2 mauvais usage ; 3 prérequis manquant ; 4 migration refusée (la version en service ne change pas).
set -euo pipefail

log() { printf '[deploy] %s\n' "$*" >&2; }

psql_run() { psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 "$@"; }

check_prerequisites() {
    local name
    for name in RELEASES_DIR DEPLOY_DIR DATABASE_URL; do
        if [ -z "${!name:-}" ]; then
            log "variable $name non définie"
            return 3
        fi
    done
    for name in psql pg_dump "${PYTHON:-python3}"; do
        if ! command -v "$name" >/dev/null 2>&1; then
            log "commande introuvable : $name"
            return 3
        fi
    done
}

backup_database() {
    local version="$1" file
    mkdir -p "$DEPLOY_DIR/backups"
    file="$DEPLOY_DIR/backups/avant-$version-$(date +%Y%m%dT%H%M%S).sql"
    pg_dump "$DATABASE_URL" --no-owner --file "$file"
    log "sauvegarde : $file"
}

apply_migrations() {
    local folder="$1" file name applied
    psql_run -c "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_on timestamptz NOT NULL DEFAULT now())"
    applied="$(psql_run -At -c "SELECT version FROM schema_migrations")"
    for file in "$folder"/*.sql; do
        [ -e "$file" ] || continue
        name="$(basename "$file" .sql)"
        if [[ ! "$name" =~ ^[0-9]{4}_[a-z0-9_]+$ ]]; then
            log "nom de migration refusé : $name"
            return 4
        fi
        if grep -qxF "$name" <<<"$applied"; then
            continue
        fi
        log "migration $name"
        if ! psql_run --single-transaction -f "$file" \
            -c "INSERT INTO schema_migrations (version) VALUES ('$name')"; then
            log "migration $name refusée : annulée, la version en service ne change pas"
            return 4
        fi
    done
}

switch_to() {
    local version="$1" live=""
    if [ -L "$DEPLOY_DIR/current" ]; then
        live="$(basename "$(readlink "$DEPLOY_DIR/current")")"
    fi
    if [ -n "$live" ] && [ "$live" != "$version" ]; then
        printf '%s\n' "$live" >"$DEPLOY_DIR/previous"
    fi
    ln -sfn "releases/$version" "$DEPLOY_DIR/current.new"
    mv -T "$DEPLOY_DIR/current.new" "$DEPLOY_DIR/current"
    log "en service : $version (précédente : ${live:-aucune})"
}

main() {
    if [ "$#" -ne 1 ]; then
        echo "usage : $0 VERSION" >&2
        return 2
    fi
    local version="$1"
    check_prerequisites
    if [[ ! "$version" =~ ^[0-9A-Za-z._-]+$ ]] || [ ! -d "$RELEASES_DIR/$version" ]; then
        log "version inconnue : $version"
        return 2
    fi
    mkdir -p "$DEPLOY_DIR/releases"
    backup_database "$version"
    rm -rf "$DEPLOY_DIR/releases/$version"
    cp -R "$RELEASES_DIR/$version" "$DEPLOY_DIR/releases/$version"
    apply_migrations "$DEPLOY_DIR/releases/$version/migrations"
    switch_to "$version"
    if ! "${PYTHON:-python3}" "$DEPLOY_DIR/current/verifier.py" "$DEPLOY_DIR/current/app"; then
        log "la version $version ne répond pas : lancez ./rollback.sh"
        return 1
    fi
    log "version $version déployée et vérifiée"
}

main "$@"
