"""Le scénario de déploiement : 1.0, puis 1.1 (avec une migration de données), 1.1 à nouveau,
1.2 défectueuse, puis rollback.sh. Les lignes du jeu de données ne doivent jamais se perdre."""

from __future__ import annotations


def explain(step) -> str:
    return f"code {step.code}, version en service {step.version}, sortie : {step.output[-600:]}"


def kept(scenario, name) -> list[str]:
    """Tables whose rows (count and content) changed since the data set was loaded."""
    after = scenario.steps[name].snapshot
    return [table for table, rows in scenario.before.items() if rows is None or after.get(table) != rows]


def test_montee_premiere_version(scenario):
    step = scenario.upto("1.0")
    assert step.code == 0 and step.version == "1.0" and step.answers, explain(step)
    assert all(rows is not None for rows in step.snapshot.values()), "migrations 0001-0005 non appliquées"


def test_montee_version_suivante(scenario):
    step = scenario.upto("1.1")
    assert step.code == 0 and step.version == "1.1" and step.answers, explain(step)


def test_montee_sans_perte_de_donnees(scenario):
    assert scenario.upto("1.1").code is not None
    assert kept(scenario, "1.1") == [], "des lignes du jeu de données ont changé ou disparu pendant la montée de version"


def test_montee_redeploiement_sans_rejouer_les_migrations(scenario):
    step = scenario.upto("1.1-encore")
    assert step.code == 0 and step.version == "1.1" and step.answers, explain(step)
    assert kept(scenario, "1.1-encore") == []


def test_retour_version_defectueuse_signalee(scenario):
    good = scenario.upto("1.1")
    assert good.code == 0 and good.answers, "la version 1.1 n'a pas été déployée : " + explain(good)
    step = scenario.upto("1.2")
    assert step.code not in (0, None), "deploy.sh a réussi alors que la version 1.2 ne répond pas"


def test_retour_restaure_la_version_precedente(scenario):
    step = scenario.upto("retour")
    assert step.code == 0 and step.version == "1.1" and step.answers, explain(step)


def test_retour_sans_perte_de_donnees(scenario):
    assert scenario.upto("retour").code is not None, explain(scenario.upto("retour"))
    assert kept(scenario, "retour") == [], "des lignes du jeu de données ont changé ou disparu"
