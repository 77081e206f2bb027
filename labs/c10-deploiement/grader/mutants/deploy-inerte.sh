#!/usr/bin/env bash
# Mutant : annonce un déploiement réussi sans rien faire.
echo "[deploy] version ${1:-?} déployée et vérifiée" >&2
exit 0
