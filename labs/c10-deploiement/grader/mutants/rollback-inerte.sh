#!/usr/bin/env bash
# Mutant : annonce un retour arrière réussi sans rien changer.
echo "[rollback] retour arrière vérifié" >&2
exit 0
