#!/usr/bin/env bats
# Tests unitaires de deploy.sh et rollback.sh : psql et pg_dump sont remplacés par des doublures
# (tests/doublures/), la vérification par `true` ou `false` ; aucune base n'est nécessaire.

setup() {
    ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
    WORK="$(mktemp -d)"
    export RELEASES_DIR="$WORK/livraisons" DEPLOY_DIR="$WORK/serveur" DATABASE_URL="postgresql:///factice"
    export PYTHON=true PSQL_LOG="$WORK/psql.log" PSQL_APPLIED="$WORK/appliquees"
    export PATH="$ROOT/tests/doublures:$PATH"
    touch "$PSQL_APPLIED"
    for version in 1.0 1.1; do
        mkdir -p "$RELEASES_DIR/$version/app" "$RELEASES_DIR/$version/migrations"
        touch "$RELEASES_DIR/$version/verifier.py"
    done
    touch "$RELEASES_DIR/1.0/migrations/0001_initiale.sql"
    cp "$RELEASES_DIR/1.0/migrations/0001_initiale.sql" "$RELEASES_DIR/1.1/migrations/"
    touch "$RELEASES_DIR/1.1/migrations/0002_suite.sql"
}

teardown() {
    rm -rf "$WORK"
}

@test "deploy.sh sans argument affiche l'usage et sort avec le code 2" {
    run "$ROOT/deploy.sh"
    [ "$status" -eq 2 ]
    [[ "$output" == *usage* ]]
}

@test "deploy.sh refuse une version inconnue" {
    run "$ROOT/deploy.sh" 9.9
    [ "$status" -eq 2 ]
    [ ! -e "$DEPLOY_DIR/current" ]
}

@test "deploy.sh sauvegarde la base, migre puis bascule le lien current" {
    run "$ROOT/deploy.sh" 1.0
    [ "$status" -eq 0 ]
    [ "$(readlink "$DEPLOY_DIR/current")" = "releases/1.0" ]
    ls "$DEPLOY_DIR"/backups/avant-1.0-*.sql
    grep -q "0001_initiale" "$PSQL_LOG"
}

@test "une migration déjà appliquée n'est pas rejouée" {
    "$ROOT/deploy.sh" 1.0
    : >"$PSQL_LOG"
    run "$ROOT/deploy.sh" 1.1
    [ "$status" -eq 0 ]
    run grep -c "0001_initiale.sql" "$PSQL_LOG"
    [ "$output" = "0" ]
    grep -q "0002_suite.sql" "$PSQL_LOG"
    [ "$(cat "$DEPLOY_DIR/previous")" = "1.0" ]
}

@test "une migration refusée laisse la version en service" {
    "$ROOT/deploy.sh" 1.0
    export PSQL_FAIL_ON=0002_suite
    run "$ROOT/deploy.sh" 1.1
    [ "$status" -eq 4 ]
    [ "$(readlink "$DEPLOY_DIR/current")" = "releases/1.0" ]
}

@test "deploy.sh signale une version qui ne répond pas (code 1)" {
    "$ROOT/deploy.sh" 1.0
    PYTHON=false run "$ROOT/deploy.sh" 1.1
    [ "$status" -eq 1 ]
}

@test "rollback.sh revient à la version précédente" {
    "$ROOT/deploy.sh" 1.0
    "$ROOT/deploy.sh" 1.1
    run "$ROOT/rollback.sh"
    [ "$status" -eq 0 ]
    [ "$(readlink "$DEPLOY_DIR/current")" = "releases/1.0" ]
}

@test "rollback.sh sans version précédente échoue sans rien changer" {
    "$ROOT/deploy.sh" 1.0
    run "$ROOT/rollback.sh"
    [ "$status" -eq 3 ]
    [ "$(readlink "$DEPLOY_DIR/current")" = "releases/1.0" ]
}
