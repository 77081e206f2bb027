#!/usr/bin/env bats
# Tests unitaires de deploy.sh et rollback.sh (lancez : bats tests/).
# Remplacez psql et pg_dump par des doublures (un dossier en tête de PATH) : aucune base n'est
# nécessaire pour tester les scripts.

setup() {
    ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
}

@test "deploy.sh sans argument affiche l'usage et sort avec le code 2" {
    run "$ROOT/deploy.sh"
    [ "$status" -eq 2 ]
}
