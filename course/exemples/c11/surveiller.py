"""Règle d'alerte de la médiathèque en production : taux d'erreurs 5xx sur une fenêtre glissante.

    python surveiller.py metriques.csv [--seuil 0.05] [--fenetre 3] [--minimum 20]

Le fichier a une ligne par minute : minute, requetes, erreurs_5xx, version. L'alerte se déclenche
quand, sur les `fenetre` dernières minutes, les erreurs dépassent `seuil` des requêtes, et qu'il y a
eu au moins `minimum` requêtes (en dessous, une seule erreur ferait sonner l'alerte la nuit).
Code de sortie : 1 et une ligne « ALERTE » par déclenchement, 0 si rien à signaler.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import deque
from pathlib import Path


def alertes(lignes: list[dict], seuil: float, fenetre: int, minimum: int) -> list[str]:
    vues: deque[dict] = deque(maxlen=fenetre)
    messages, en_alerte = [], False
    for ligne in lignes:
        vues.append(ligne)
        requetes = sum(int(v["requetes"]) for v in vues)
        erreurs = sum(int(v["erreurs_5xx"]) for v in vues)
        depasse = len(vues) == fenetre and requetes >= minimum and erreurs > seuil * requetes
        if depasse and not en_alerte:  # une alerte par épisode, pas une par minute
            messages.append(f"ALERTE {ligne['minute']} : {erreurs}/{requetes} requêtes en erreur 5xx "
                            f"sur {fenetre} min ({erreurs / requetes:.0%}), version {ligne['version']}")
        en_alerte = depasse
    return messages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("metriques", type=Path)
    parser.add_argument("--seuil", type=float, default=0.05)
    parser.add_argument("--fenetre", type=int, default=3)
    parser.add_argument("--minimum", type=int, default=20)
    args = parser.parse_args(argv)
    with args.metriques.open(encoding="utf-8", newline="") as fichier:
        lignes = list(csv.DictReader(fichier))
    messages = alertes(lignes, args.seuil, args.fenetre, args.minimum)
    print("\n".join(messages) if messages else "OK : aucune alerte")
    return 1 if messages else 0


if __name__ == "__main__":
    sys.exit(main())
