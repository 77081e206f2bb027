"""The rules of REGLES.md a lab applies, and those it leaves out, written into its statement.

A lab that keeps a subset of the reference rules says so between two markers of its README.md;
`derive.py` writes that block from the reference `rules.py` (values included), so the drift test
(regenerating changes nothing) fails when the statement's numbers stop matching the reference.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from course.mediatheque.derive_specs import APP

BEGIN = "<!-- règles de la médiathèque : généré par python -m course.mediatheque.derive depuis rules.py -->"
END = "<!-- fin des règles -->"


def reference_rules():
    spec = importlib.util.spec_from_file_location("_reference_rules", APP / "rules.py")
    rules = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rules)  # the reference's own module: pure Python, no learner code
    return rules


def texts(r) -> dict[str, str]:
    """One French line per rule of REGLES.md, with the reference values."""
    durations = ", ".join(f"{kind} {days} jours" for kind, days in r.LOAN_DAYS.items())
    euros = (lambda value: f"{value:.2f}".replace(".", ",") + " €")
    return {
        "quota-adulte": f"{r.MAX_LOANS_ADULT} prêts en cours au plus par adhérent (le quota d'un adulte)",
        "duree-livre": f"retour prévu {r.LOAN_DAYS['livre']} jours après le prêt (la durée d'un livre), "
                       "pour tout document",
        "durees": f"durée du prêt selon le type de document : {durations}",
        "retard": "pas de nouveau prêt tant qu'un prêt en cours est en retard",
        "reservations": "réservations : une au plus par adhérent et par document, servies dans l'ordre des "
                        "demandes",
        "quota-mineur": f"quota des mineurs : {r.MAX_LOANS_MINOR} prêts (adulte à partir du 1er janvier de "
                        f"l'année de ses {r.MAJORITY_AGE} ans)",
        "fermeture": "fermeture le dimanche et le lundi (pas de prêt ; retour reporté au mardi)",
        "abonnement": "pas de prêt avec un abonnement expiré",
        "penalites": f"pénalités de retard : {euros(r.LATE_FEE_PER_DAY)} par jour et par document après "
                     f"{r.LATE_GRACE_DAYS} jours de tolérance, {euros(r.LATE_FEE_CAP)} au plus par document",
    }


@dataclass(frozen=True)
class RulesSubset:
    """The block between BEGIN and END in a lab's statement: the rules it applies, those it leaves out."""

    target: str
    applies: tuple[str, ...]
    leaves_out: tuple[str, ...]

    def render(self, lab: Path) -> str:
        text = (lab / self.target).read_text(encoding="utf-8")
        if BEGIN not in text or END not in text:
            raise ValueError(f"{lab.name}/{self.target}: no rules block ({BEGIN} … {END})")
        lines = texts(reference_rules())

        def bullets(keys: tuple[str, ...]) -> list[str]:
            return [f"- {lines[key]}{' ;' if index < len(keys) - 1 else '.'}" for index, key in enumerate(keys)]

        block = [BEGIN, "", "Règles de la médiathèque (`course/mediatheque/REGLES.md`) appliquées dans ce lab :", "",
                 *bullets(self.applies), "", "Pas dans ce lab (l'application de référence les applique ; le lab "
                 "`nb-c3-regles-metier` les fait programmer) :", "", *bullets(self.leaves_out), "", END]
        head, rest = text.split(BEGIN, 1)
        return head + "\n".join(block) + rest.split(END, 1)[1]
