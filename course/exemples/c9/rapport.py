"""Rapport d'exécution du plan : pour chaque cas, attendu, obtenu, écart (Markdown).

    python -m pytest course/exemples/c9/test_regles.py --junitxml=resultats.xml
    python course/exemples/c9/rapport.py resultats.xml > rapport.md

Un cas automatisé sans résultat dans le JUnit est « non exécuté » : c'est un écart au plan, pas un
succès. Code de sortie : 0 si tous les cas automatisés sont conformes, 1 sinon.
"""

from __future__ import annotations

import re
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent


def resultats_junit(chemin: Path) -> dict[str, str]:
    """Identifiant du cas -> message d'échec ("" si le test est passé)."""
    obtenus = {}
    for test in ET.parse(chemin).getroot().iter("testcase"):
        m = re.search(r"\[([A-Z]{2}-\d{2})\]$", test.get("name", ""))
        if not m:
            continue
        echec = test.find("failure")
        if echec is None:
            echec = test.find("error")
        if test.find("skipped") is not None:
            obtenus[m.group(1)] = "ignoré"
        else:
            obtenus[m.group(1)] = "" if echec is None else (echec.get("message") or "échec").splitlines()[0]
    return obtenus


def rapport(chemin_junit: Path) -> tuple[str, bool]:
    plan = tomllib.loads((HERE / "plan_de_tests.toml").read_text(encoding="utf-8"))
    jeu = {d["cas"]: d for d in tomllib.loads((HERE / "jeu_essai.toml").read_text(encoding="utf-8"))["donnees"]}
    obtenus = resultats_junit(chemin_junit)
    lignes = [f"# Rapport d'exécution — {plan['titre']} (version {plan['version_testee']})", "",
              "| Cas | Niveau | Règle | Attendu | Obtenu | Écart |", "|---|---|---|---|---|---|"]
    conforme = True
    for cas in plan["cas"]:
        if cas["automatisation"] != "pytest":
            lignes.append(f"| {cas['id']} | {cas['niveau']} | {cas['regle']} | voir la procédure | "
                          "à exécuter à la main | à consigner |")
            continue
        d = jeu.get(cas["id"], {})
        attendu = d.get("erreur") or d.get("attendu", "?")
        if isinstance(attendu, list):
            attendu = " / ".join(str(v) for v in attendu)
        if cas["id"] not in obtenus:
            obtenu, ecart = "non exécuté", "cas du plan sans résultat"
        elif obtenus[cas["id"]]:
            obtenu, ecart = "différent", obtenus[cas["id"]].replace("|", "/")
        else:
            obtenu, ecart = "conforme", "aucun"
        conforme = conforme and ecart == "aucun"
        lignes.append(f"| {cas['id']} | {cas['niveau']} | {cas['regle']} | {attendu} | {obtenu} | {ecart} |")
    return "\n".join(lignes) + "\n", conforme


if __name__ == "__main__":
    texte, ok = rapport(Path(sys.argv[1]))
    sys.stdout.write(texte)
    sys.exit(0 if ok else 1)
