"""Burndown de l'équipe : travail restant chaque soir, depuis l'export des tickets et le backlog.

Usage : python -m outils.burndown donnees/backlog.toml donnees/mi-parcours/tickets.csv 2027-01-22
"""

import csv
import datetime as dt
import sys
import tomllib


def jours_ouvres(debut: dt.date, fin: dt.date) -> list[dt.date]:
    jours, jour = [], debut
    while jour <= fin:
        if jour.weekday() < 5:
            jours.append(jour)
        jour += dt.timedelta(days=1)
    return jours


def burndown(estimations: dict[str, int], fermetures: dict[str, dt.date], debut: dt.date,
             point: dt.date) -> dict[dt.date, int]:
    """Chaque soir, la somme des estimations des tâches non fermées."""
    total = sum(estimations.values())
    return {jour: total - sum(e for t, e in estimations.items() if t in fermetures and fermetures[t] <= jour)
            for jour in jours_ouvres(debut, point)}


def main(backlog: str, tickets: str, point: str) -> None:
    with open(backlog, "rb") as fichier:
        estimations = {t["id"]: t["estimation"] for t in tomllib.load(fichier)["taches"]}
    with open(tickets, encoding="utf-8") as fichier:
        fermetures = {r["id"]: dt.date.fromisoformat(r["ferme_le"]) for r in csv.DictReader(fichier) if r["ferme_le"]}
    for jour, reste in burndown(estimations, fermetures, dt.date(2027, 1, 4), dt.date.fromisoformat(point)).items():
        print(f"{jour.isoformat()},{reste}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
