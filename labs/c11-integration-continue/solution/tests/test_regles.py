"""Règles métier (Python pur, sans service)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from mediatheque import rules
from tests.conftest import TODAY


@pytest.mark.parametrize(("loaned", "kind", "due"), [
    (date(2031, 3, 11), "livre", date(2031, 4, 1)),
    (date(2031, 3, 11), "dvd", date(2031, 3, 18)),
    (date(2031, 3, 9), "revue", date(2031, 3, 18)),  # retour un dimanche : reporté au mardi
])
def test_date_de_retour(loaned, kind, due):
    assert rules.due_date(loaned, kind) == due


def test_quota_selon_l_age():
    assert rules.max_loans(2016, TODAY) == rules.MAX_LOANS_MINOR
    assert rules.max_loans(1985, TODAY) == rules.MAX_LOANS_ADULT


def test_pret_refuse_en_retard_ou_abonnement_expire():
    late, soon = TODAY - timedelta(days=1), TODAY + timedelta(days=3)
    assert rules.may_borrow(TODAY - timedelta(days=1), [], None, TODAY) == (False, "abonnement expiré")
    assert rules.may_borrow(TODAY, [late], None, TODAY) == (False, "retard")
    assert rules.may_borrow(TODAY, [soon] * 3, 1985, TODAY) == (True, "ok")


def test_penalites_et_file_d_attente():
    assert rules.late_fee(3) == Decimal("0.45")
    assert rules.late_fee(100) == rules.LATE_FEE_CAP
    assert rules.next_in_queue([(date(2031, 3, 5), 1), (date(2031, 3, 2), 7)]) == 7
