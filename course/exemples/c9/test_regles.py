"""Tests des règles de prêt, pilotés par le jeu d'essai : un test par cas du plan.

L'identifiant du cas (DR-01...) devient l'identifiant du test (test_date_de_retour[DR-01]) : le
rapport et la vérification de couverture du plan s'appuient dessus.
Lancer : python -m pytest course/exemples/c9/test_regles.py -v
"""

from __future__ import annotations

import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "mediatheque" / "app"))

from mediatheque import rules  # noqa: E402  (après le chemin de l'application de référence)

JEU = tomllib.loads((HERE / "jeu_essai.toml").read_text(encoding="utf-8"))["donnees"]
ERREURS = {"ValueError": ValueError}


def donnees(fonction: str) -> list:
    return [pytest.param(d, id=d["cas"]) for d in JEU if d["fonction"] == fonction]


@pytest.mark.parametrize("d", donnees("due_date"))
def test_date_de_retour(d):
    e = d["entrees"]
    if "erreur" in d:
        with pytest.raises(ERREURS[d["erreur"]]):
            rules.due_date(e["loaned_on"], e["kind"])
    else:
        assert rules.due_date(e["loaned_on"], e["kind"]) == d["attendu"]


@pytest.mark.parametrize("d", donnees("may_borrow"))
def test_droit_d_emprunter(d):
    e = d["entrees"]
    obtenu = rules.may_borrow(e["subscription_ends_on"], e["due_dates"], e["birth_year"], e["today"])
    assert obtenu == tuple(d["attendu"])


@pytest.mark.parametrize("d", donnees("late_fee"))
def test_penalite(d):
    e = d["entrees"]
    if "erreur" in d:
        with pytest.raises(ERREURS[d["erreur"]]):
            rules.late_fee(e["days_late"], e["documents"])
        return
    obtenu = rules.late_fee(e["days_late"], e["documents"])
    assert isinstance(obtenu, Decimal)          # jamais de float pour de l'argent
    assert obtenu == Decimal(d["attendu"])


@pytest.mark.parametrize("d", donnees("next_in_queue"))
def test_file_des_reservations(d):
    demandes = [tuple(r) for r in d["entrees"]["reservations"]]
    attendu = None if d["attendu"] == "aucun" else d["attendu"]
    assert rules.next_in_queue(demandes) == attendu
