"""Règles métier de la médiathèque, en Python pur (REGLES.md les énonce ; ce module les applique).

Une seule source : les labs qui en reprennent une valeur (quota, durée) sont vérifiés contre ce
module par tests/test_reference_drift.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# Durée du prêt, en jours, selon le type de document.
LOAN_DAYS = {"livre": 21, "bd": 14, "cd": 14, "dvd": 7, "revue": 7}
KINDS = tuple(LOAN_DAYS)
MAX_LOANS_ADULT = 5
MAX_LOANS_MINOR = 3
MAJORITY_AGE = 18
CLOSED_WEEKDAYS = (6, 0)  # dimanche, lundi (date.weekday())
LATE_GRACE_DAYS = 2
LATE_FEE_PER_DAY = Decimal("0.15")
LATE_FEE_CAP = Decimal("8.00")
LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW_S = 900
CATALOGUE_CACHE_TTL_S = 300
CONSENT_KEPT_S = 180 * 24 * 3600  # le choix sur les traceurs est conservé 6 mois
AUDIENCE_COOKIE_S = 395 * 24 * 3600  # traceur de mesure d'audience : 13 mois au plus


def is_minor(birth_year: int | None, today: date) -> bool:
    """Mineur : moins de 18 ans dans l'année civile. Seule l'année de naissance est connue
    (minimisation) ; non renseignée : adulte."""
    return birth_year is not None and today.year - birth_year < MAJORITY_AGE


def max_loans(birth_year: int | None, today: date) -> int:
    return MAX_LOANS_MINOR if is_minor(birth_year, today) else MAX_LOANS_ADULT


def due_date(loaned_on: date, kind: str) -> date:
    """Date de retour prévue : durée selon le type, reportée au mardi si elle tombe un jour de fermeture."""
    if kind not in LOAN_DAYS:
        raise ValueError(f"type de document inconnu : {kind!r}")
    due = loaned_on + timedelta(days=LOAN_DAYS[kind])
    while due.weekday() in CLOSED_WEEKDAYS:
        due += timedelta(days=1)
    return due


def may_borrow(subscription_ends_on: date, due_dates_of_current_loans: list[date], birth_year: int | None,
               today: date) -> tuple[bool, str]:
    """Droit d'emprunter, règles vérifiées dans cet ordre : abonnement, retard, quota."""
    if subscription_ends_on < today:
        return False, "abonnement expiré"
    if any(due < today for due in due_dates_of_current_loans):
        return False, "retard"
    if len(due_dates_of_current_loans) >= max_loans(birth_year, today):
        return False, "quota atteint"
    return True, "ok"


def late_fee(days_late: int, documents: int = 1) -> Decimal:
    """Pénalité : rien pendant la tolérance, puis 0,15 € par jour et par document, 8 € au plus par document."""
    if days_late < 0 or documents < 1:
        raise ValueError("valeurs invalides")
    if days_late <= LATE_GRACE_DAYS:
        return Decimal("0.00")
    per_document = min(LATE_FEE_PER_DAY * days_late, LATE_FEE_CAP)
    return (per_document * documents).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def next_in_queue(reservations: list[tuple[date, int]]) -> int | None:
    """Prochain réservataire : la plus ancienne réservation, à égalité le plus petit numéro d'adhérent.
    `reservations` : couples (date de la demande, id de l'adhérent)."""
    return min(reservations)[1] if reservations else None
