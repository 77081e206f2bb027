"""Couche services, testée directement (sans HTTP).

test_regle_*     : les règles de prêt sont appliquées PAR LES SERVICES (refus et cas limites) ;
test_operation_* : les opérations elles-mêmes (valeurs renvoyées, erreurs « introuvable »...).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

# --- Règles de prêt --------------------------------------------------------------


def test_regle_duree_de_pret(loan_service, repos, domain, day0):
    """La durée dépend du type du document (REGLES.md de la médiathèque de référence)."""
    loan = loan_service.lend(1, 2)
    assert loan.start == day0
    assert loan.due == day0 + timedelta(days=21)
    for item_id, (kind, days) in enumerate((("bd", 14), ("cd", 14), ("dvd", 7), ("revue", 7)), start=50):
        repos.items.add(domain.Item(id=item_id, document_id=item_id, barcode=f"C{item_id:06d}",
                                    title="Titre fictif", kind=kind))
        assert loan_service.lend(2, item_id).due == day0 + timedelta(days=days), kind


def test_regle_cinq_prets_au_plus(loan_service, domain):
    for item_id in range(1, 6):
        loan_service.lend(1, item_id)
    with pytest.raises(domain.LoanLimitReached):
        loan_service.lend(1, 6)
    assert len(loan_service.active_loans(1)) == 5


def test_regle_limite_par_adherent(loan_service, domain):
    for item_id in range(1, 6):
        loan_service.lend(1, item_id)
    assert loan_service.lend(2, 6).member_id == 2
    with pytest.raises(domain.LoanLimitReached):
        loan_service.lend(1, 7)


def test_regle_un_retour_libere_une_place(loan_service, domain):
    for item_id in range(1, 6):
        loan_service.lend(1, item_id)
    with pytest.raises(domain.LoanLimitReached):
        loan_service.lend(1, 6)
    loan_service.return_item(3)
    assert loan_service.lend(1, 6).item_id == 6


def test_regle_pas_de_pret_avec_un_retard(loan_service, clock, domain):
    loan_service.lend(1, 1)
    clock.advance(22)
    with pytest.raises(domain.LateLoanPending):
        loan_service.lend(1, 2)


def test_regle_echeance_non_depassee(loan_service, clock, domain):
    loan_service.lend(1, 1)
    clock.advance(21)  # jour de l'échéance : pas encore en retard
    assert loan_service.lend(1, 2).item_id == 2
    clock.advance(1)
    with pytest.raises(domain.LateLoanPending):
        loan_service.lend(1, 3)


def test_regle_rendre_le_retard_debloque(loan_service, clock, domain, day0):
    loan_service.lend(1, 1)
    clock.advance(30)
    with pytest.raises(domain.LateLoanPending):
        loan_service.lend(1, 2)
    loan = loan_service.return_item(1)
    assert loan.returned_on == day0 + timedelta(days=30)
    assert loan_service.lend(1, 2).start == day0 + timedelta(days=30)


def test_regle_retard_propre_a_l_adherent(loan_service, clock, domain):
    loan_service.lend(2, 1)
    clock.advance(40)
    assert loan_service.lend(1, 2).member_id == 1
    with pytest.raises(domain.LateLoanPending):
        loan_service.lend(2, 3)


def test_regle_document_deja_prete(loan_service, domain):
    loan_service.lend(1, 1)
    with pytest.raises(domain.ItemAlreadyLent):
        loan_service.lend(2, 1)
    with pytest.raises(domain.ItemAlreadyLent):
        loan_service.lend(1, 1)


def test_regle_document_reserve_pour_un_autre(loan_service, domain):
    loan_service.reserve(2, 4)
    with pytest.raises(domain.ItemReservedByAnotherMember):
        loan_service.lend(1, 4)


def test_regle_document_reserve_prete_au_reservataire(loan_service, domain):
    loan_service.reserve(2, 4)
    with pytest.raises(domain.ItemReservedByAnotherMember):
        loan_service.lend(3, 4)
    assert loan_service.lend(2, 4).member_id == 2


def test_regle_reservation_consommee_par_le_pret(loan_service, domain):
    loan_service.reserve(2, 4)
    with pytest.raises(domain.ItemReservedByAnotherMember):
        loan_service.lend(1, 4)
    loan_service.lend(2, 4)
    loan_service.return_item(4)
    assert loan_service.lend(1, 4).member_id == 1


def test_regle_une_reservation_par_document(loan_service, domain):
    """File d'attente : une réservation au plus par adhérent et par document ; la plus ancienne passe d'abord."""
    loan_service.reserve(2, 4)
    assert loan_service.reserve(3, 4).member_id == 3
    with pytest.raises(domain.ItemAlreadyReserved):
        loan_service.reserve(2, 4)
    with pytest.raises(domain.ItemReservedByAnotherMember):
        loan_service.lend(3, 4)
    loan_service.lend(2, 4)
    loan_service.return_item(4)
    with pytest.raises(domain.ItemReservedByAnotherMember):
        loan_service.lend(1, 4)
    assert loan_service.lend(3, 4).member_id == 3


def test_regle_refus_sans_effet_de_bord(loan_service, domain):
    for item_id in range(1, 6):
        loan_service.lend(1, item_id)
    with pytest.raises(domain.LoanLimitReached):
        loan_service.lend(1, 6)
    # le document 6 n'a pas été prêté : un autre adhérent peut l'emprunter
    assert loan_service.lend(2, 6).item_id == 6


# --- Opérations ------------------------------------------------------------------


def test_operation_constantes(services):
    assert services.MAX_LOANS == 5
    assert services.LOAN_DAYS == {"livre": 21, "bd": 14, "cd": 14, "dvd": 7, "revue": 7}


def test_operation_pret_renvoie_un_loan(loan_service, domain):
    loan = loan_service.lend(1, 2)
    assert isinstance(loan, domain.Loan)
    assert (loan.member_id, loan.item_id) == (1, 2)
    assert loan.returned_on is None
    assert isinstance(loan.id, int)
    assert loan_service.lend(2, 3).id != loan.id


def test_operation_reservation_renvoie_une_reservation(loan_service, domain):
    loan_service.lend(1, 4)
    reservation = loan_service.reserve(2, 4)  # on peut réserver un document prêté
    assert isinstance(reservation, domain.Reservation)
    assert (reservation.member_id, reservation.item_id) == (2, 4)
    assert isinstance(reservation.id, int)


@pytest.mark.parametrize(
    ("member_id", "item_id", "error"),
    [(99, 1, "MemberNotFound"), (1, 99, "ItemNotFound")],
)
def test_operation_pret_inconnus(loan_service, domain, member_id, item_id, error):
    with pytest.raises(getattr(domain, error)):
        loan_service.lend(member_id, item_id)


@pytest.mark.parametrize(
    ("member_id", "item_id", "error"),
    [(99, 1, "MemberNotFound"), (1, 99, "ItemNotFound")],
)
def test_operation_reservation_inconnus(loan_service, domain, member_id, item_id, error):
    with pytest.raises(getattr(domain, error)):
        loan_service.reserve(member_id, item_id)


def test_operation_retour_document_inconnu(loan_service, domain):
    with pytest.raises(domain.ItemNotFound):
        loan_service.return_item(99)


def test_operation_retour_document_non_prete(loan_service, domain):
    with pytest.raises(domain.ItemNotLent):
        loan_service.return_item(1)
    loan_service.lend(1, 1)
    loan_service.return_item(1)
    with pytest.raises(domain.ItemNotLent):
        loan_service.return_item(1)


def test_operation_retour_renvoie_le_pret_clos(loan_service, clock, day0):
    lent = loan_service.lend(1, 1)
    clock.advance(3)
    loan = loan_service.return_item(1)
    assert loan.id == lent.id
    assert loan.returned_on == day0 + timedelta(days=3)
    assert loan_service.active_loans(1) == []


def test_operation_prets_en_cours_tries_par_echeance(loan_service, clock):
    loan_service.lend(1, 3)
    clock.advance(2)
    loan_service.lend(1, 1)
    clock.advance(1)
    loan_service.lend(1, 2)
    loan_service.return_item(1)
    loans = loan_service.active_loans(1)
    assert [loan.item_id for loan in loans] == [3, 2]
    assert all(loan.returned_on is None for loan in loans)


def test_operation_prets_en_cours_adherent_inconnu(loan_service, domain):
    with pytest.raises(domain.MemberNotFound):
        loan_service.active_loans(99)


def test_operation_horloge_par_defaut(services, repos):
    loan = services.LoanService(repos).lend(1, 1)
    assert loan.start in {date.today(), date.today() - timedelta(days=1)}


def test_operation_hierarchie_des_exceptions(domain):
    assert issubclass(domain.NotFound, domain.DomainError)
    assert issubclass(domain.RuleViolation, domain.DomainError)
    for name in ("MemberNotFound", "ItemNotFound"):
        assert issubclass(getattr(domain, name), domain.NotFound), name
    for name in (
        "LoanLimitReached",
        "LateLoanPending",
        "ItemAlreadyLent",
        "ItemReservedByAnotherMember",
        "ItemNotLent",
        "ItemAlreadyReserved",
    ):
        assert issubclass(getattr(domain, name), domain.RuleViolation), name
