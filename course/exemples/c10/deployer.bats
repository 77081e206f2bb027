#!/usr/bin/env bats
# Tests de deployer.sh sans serveur : psql, pg_dump, systemctl et curl sont des doublures
# (doublures/), placées en tête du PATH. Lancer : bats course/exemples/c10/deployer.bats

setup() {
    HERE="$(cd "$BATS_TEST_DIRNAME" && pwd)"
    WORK="$(mktemp -d)"
    export RELEASES_DIR="$WORK/livraisons" DEPLOY_DIR="$WORK/serveur" DATABASE_URL="postgresql:///factice"
    export HEALTH_URL="http://127.0.0.1:8000/sante" HEALTH_WAIT_S=0
    export JOURNAL="$WORK/journal" MIGRATIONS_APPLIQUEES="$WORK/appliquees"
    export PATH="$HERE/doublures:$PATH"
    touch "$JOURNAL" "$MIGRATIONS_APPLIQUEES"
    for version in 1.0 1.1 1.2; do
        mkdir -p "$RELEASES_DIR/$version/app" "$RELEASES_DIR/$version/migrations"
        echo ok >"$RELEASES_DIR/$version/ETAT"
        touch "$RELEASES_DIR/$version/migrations/0001_catalogue.sql"
    done
    touch "$RELEASES_DIR/1.1/migrations/0002_courriels.sql" "$RELEASES_DIR/1.2/migrations/0002_courriels.sql"
    echo ko >"$RELEASES_DIR/1.2/ETAT"
}

teardown() {
    rm -rf "$WORK"
}

@test "sans commande : usage, code 2" {
    run "$HERE/deployer.sh"
    [ "$status" -eq 2 ]
    [[ "$output" == *usage* ]]
}

@test "la sauvegarde précède la première migration" {
    run "$HERE/deployer.sh" deploy 1.0
    [ "$status" -eq 0 ]
    [ "$(readlink "$DEPLOY_DIR/current")" = "versions/1.0" ]
    first_dump="$(grep -n '^pg_dump' "$JOURNAL" | head -1 | cut -d: -f1)"
    first_migration="$(grep -n '0001_catalogue.sql' "$JOURNAL" | head -1 | cut -d: -f1)"
    [ "$first_dump" -lt "$first_migration" ]
}

@test "une migration déjà appliquée n'est pas rejouée" {
    "$HERE/deployer.sh" deploy 1.0
    run "$HERE/deployer.sh" deploy 1.1
    [ "$status" -eq 0 ]
    [ "$(grep -c '0001_catalogue.sql' "$JOURNAL")" -eq 1 ]
    [ "$(cat "$DEPLOY_DIR/precedente")" = "1.0" ]
}

@test "une version qui ne répond pas sort en 1, rollback revient à la précédente" {
    "$HERE/deployer.sh" deploy 1.0
    "$HERE/deployer.sh" deploy 1.1
    run "$HERE/deployer.sh" deploy 1.2
    [ "$status" -eq 1 ]
    run "$HERE/deployer.sh" rollback
    [ "$status" -eq 0 ]
    [ "$(readlink "$DEPLOY_DIR/current")" = "versions/1.1" ]
}

@test "une migration refusée laisse la version en service" {
    "$HERE/deployer.sh" deploy 1.0
    export PSQL_ECHEC=0002_courriels
    run "$HERE/deployer.sh" deploy 1.1
    [ "$status" -eq 4 ]
    [ "$(readlink "$DEPLOY_DIR/current")" = "versions/1.0" ]
}
