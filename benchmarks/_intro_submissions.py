"""A cohort of introductory submissions to the `penalites-lab` fixture (late fees: 50 cents a day,
capped at 10 euros): the right answer written many ways, the usual mistakes (wrong rate, cap
forgotten or misplaced, off by one day, integer division), and code that does not import.
Deterministic: learner i always gets the same file."""

from __future__ import annotations

from pathlib import Path

LAB = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "labs" / "penalites-lab"

BODIES = [
    "    return min(jours * 0.5, 10.0)\n",
    "    montant = jours * 0.5\n    if montant > 10:\n        montant = 10.0\n    return montant\n",
    "    total = 0.0\n    for _ in range(jours):\n        total += 0.5\n    return min(total, 10.0)\n",
    "    return 10.0 if jours >= 20 else jours / 2\n",
    "    return min(jours * {rate}, 10.0)\n",  # wrong rate
    "    return jours * 0.5\n",  # cap forgotten
    "    return min((jours - 1) * 0.5, 10.0) if jours else 0.0\n",  # off by one day
    "    return min(jours // 2, 10)\n",  # integer division
    "    return max(jours * 0.5, 10.0)\n",  # max for min
    "    if jours > 20:\n        return 10.0\n    return jours * 0.5\n",
    "    return min(jours * 0.5, {cap})\n",  # wrong cap
    "    return round(min(jours, 20) * 0.5, 2)\n",
]
BROKEN = [
    "def penalite(jours)\n    return jours * 0.5\n",  # SyntaxError
    "def penalite(jours):\n    return min(jour * 0.5, 10.0)\n",  # NameError in every test
    "import numpy_absent\n\ndef penalite(jours):\n    return 0\n",  # ImportError at collection
    "def penalite(jours):\n    return 10.0 / jours if jours else 0.0\n",
]


def source(index: int) -> str:
    if index % 17 == 16:
        return BROKEN[(index // 17) % len(BROKEN)]
    body = BODIES[index % len(BODIES)].format(rate=(0.25, 1.0, 0.4)[index % 3], cap=(5.0, 20.0, 15.0)[index % 3])
    doc = f'    """Pénalité de retard (copie {index})."""\n'
    return f"def penalite(jours):\n{doc}{body}"


def write_cohort(dest: Path, learners: int = 120) -> Path:
    """learners folders `apprenant-NNN/penalites/` under dest; returns dest."""
    for index in range(learners):
        package = dest / f"apprenant-{index:03d}" / "penalites"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("", encoding="utf-8")
        (package / "calcul.py").write_text(source(index), encoding="utf-8")
    return dest
