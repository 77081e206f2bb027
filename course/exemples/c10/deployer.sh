#!/usr/bin/env bash
# deployer.sh — met une version de la médiathèque en service sur ce serveur, ou revient en arrière.
#
#   ./deployer.sh deploy VERSION   sauvegarde de la base, migrations en attente, bascule, redémarrage, vérification
#   ./deployer.sh rollback         remet en service la version précédente et la vérifie
#
# Environnement :
#   RELEASES_DIR   versions livrées : RELEASES_DIR/VERSION/{app,migrations}
#   DEPLOY_DIR     le serveur : versions/, current (lien), precedente, sauvegardes/
#   DATABASE_URL   base PostgreSQL de l'environnement visé (jamais écrite dans ce fichier)
#   HEALTH_URL     adresse de santé de l'application, par exemple http://127.0.0.1:8000/sante
#   SERVICE        nom du service systemd (mediatheque par défaut) ; HEALTH_WAIT_S : attente entre essais
#
# Codes de sortie : 0 en service et vérifiée ; 1 la version ne répond pas (lancer rollback) ;
# 2 mauvais usage ; 3 prérequis manquant ; 4 migration refusée (rien n'a changé) ; 5 déploiement en cours.
set -euo pipefail

log() { printf '%s [deployer] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
    local code="$1"
    shift
    log "ERREUR : $*"
    exit "$code"
}

require_env() {
    local name
    for name in "$@"; do
        [ -n "${!name:-}" ] || die 3 "variable $name non définie"
    done
}

require_cmd() {
    local name
    for name in "$@"; do
        command -v "$name" >/dev/null 2>&1 || die 3 "commande introuvable : $name"
    done
}

take_lock() {
    # mkdir est atomique : deux déploiements simultanés ne peuvent pas tous deux l'obtenir.
    mkdir "$DEPLOY_DIR/.verrou" 2>/dev/null || die 5 "un déploiement est déjà en cours ($DEPLOY_DIR/.verrou)"
    trap 'rmdir "$DEPLOY_DIR/.verrou"' EXIT
}

sql() { psql "$DATABASE_URL" --no-psqlrc --quiet -v ON_ERROR_STOP=1 "$@"; }

backup() {
    local version="$1" file
    mkdir -p "$DEPLOY_DIR/sauvegardes"
    file="$DEPLOY_DIR/sauvegardes/$(date +%Y%m%dT%H%M%S)-avant-$version.dump"
    pg_dump --format=custom --file="$file" "$DATABASE_URL"
    [ -s "$file" ] || die 3 "sauvegarde vide : $file"
    log "sauvegarde : $file"
}

migrate() {
    local folder="$1" file name applied
    sql -c "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_on timestamptz NOT NULL DEFAULT now())"
    applied="$(sql --tuples-only --no-align -c "SELECT version FROM schema_migrations")"
    for file in "$folder"/*.sql; do
        [ -e "$file" ] || continue
        name="$(basename "$file" .sql)"
        [[ "$name" =~ ^[0-9]{4}_[a-z0-9_]+$ ]] || die 4 "nom de migration refusé : $name"
        if grep -qxF -- "$name" <<<"$applied"; then
            continue
        fi
        log "migration $name"
        sql --single-transaction -f "$file" -c "INSERT INTO schema_migrations (version) VALUES ('$name')" ||
            die 4 "migration $name annulée par sa transaction : la version en service ne change pas"
    done
}

live_version() {
    if [ -L "$DEPLOY_DIR/current" ]; then
        basename "$(readlink "$DEPLOY_DIR/current")"
    fi
}

switch_to() {
    # Un lien temporaire puis mv -T : la bascule est un seul renommage, jamais un état intermédiaire.
    ln -sfn "versions/$1" "$DEPLOY_DIR/current.tmp"
    mv -T "$DEPLOY_DIR/current.tmp" "$DEPLOY_DIR/current"
}

restart_and_check() {
    local attempt
    systemctl restart "${SERVICE:-mediatheque}"
    for attempt in 1 2 3 4 5; do
        if curl --fail --silent --show-error --max-time 5 "$HEALTH_URL" >/dev/null; then
            log "la version répond ($HEALTH_URL)"
            return 0
        fi
        log "essai $attempt : pas de réponse"
        sleep "${HEALTH_WAIT_S:-2}"
    done
    return 1
}

cmd_deploy() {
    [ "$#" -eq 1 ] || die 2 "usage : $0 deploy VERSION"
    local version="$1" live
    require_env RELEASES_DIR DEPLOY_DIR DATABASE_URL HEALTH_URL
    require_cmd psql pg_dump curl systemctl
    [[ "$version" =~ ^[0-9]+\.[0-9]+(\.[0-9]+)?$ ]] || die 2 "version invalide : $version"
    [ -d "$RELEASES_DIR/$version" ] || die 2 "version non livrée : $version"
    mkdir -p "$DEPLOY_DIR/versions"
    take_lock
    live="$(live_version)"
    backup "$version"
    rm -rf "${DEPLOY_DIR:?}/versions/$version"
    cp -R "$RELEASES_DIR/$version" "$DEPLOY_DIR/versions/$version"
    migrate "$DEPLOY_DIR/versions/$version/migrations"
    switch_to "$version"
    if [ -n "$live" ] && [ "$live" != "$version" ]; then
        printf '%s\n' "$live" >"$DEPLOY_DIR/precedente"
    fi
    log "en service : $version (précédente : ${live:-aucune})"
    restart_and_check || die 1 "la version $version ne répond pas : lancez ./deployer.sh rollback"
    log "version $version déployée et vérifiée"
}

cmd_rollback() {
    [ "$#" -eq 0 ] || die 2 "usage : $0 rollback"
    local target live
    require_env DEPLOY_DIR HEALTH_URL
    require_cmd curl systemctl
    [ -s "$DEPLOY_DIR/precedente" ] || die 3 "aucune version précédente notée dans $DEPLOY_DIR/precedente"
    target="$(cat "$DEPLOY_DIR/precedente")"
    [ -d "$DEPLOY_DIR/versions/$target" ] || die 3 "version absente du serveur : $target"
    take_lock
    live="$(live_version)"
    switch_to "$target"
    printf '%s\n' "$live" >"$DEPLOY_DIR/abandonnee"
    log "en service : $target (abandonnée : ${live:-aucune}) ; la base n'est pas restaurée"
    restart_and_check || die 1 "la version $target ne répond pas non plus : restaurer la sauvegarde (procédure)"
    log "retour arrière vers $target vérifié"
}

main() {
    local command="${1:-}"
    case "$command" in
    deploy)
        shift
        cmd_deploy "$@"
        ;;
    rollback)
        shift
        cmd_rollback "$@"
        ;;
    *) die 2 "usage : $0 deploy VERSION | $0 rollback" ;;
    esac
}

main "$@"
