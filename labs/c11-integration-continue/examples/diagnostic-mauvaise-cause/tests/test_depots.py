"""Dépôts et services sur une vraie base PostgreSQL."""

import pytest

from mediatheque.errors import ConflictError, InvalidInputError, NotFoundError
from mediatheque.repositories import CatalogueRepository, LoanRepository, MemberRepository, ReservationRepository
from mediatheque.services.loans import LoanService
from tests.conftest import TODAY


def add_member(db, card="M000001", birth_year=1985):
    return MemberRepository(db).add(card, "Durand", "Alice", f"{card.lower()}@example.org",
                                    birth_year=birth_year, today=TODAY)


def add_document(db, title="Le Petit Prince", kind="livre"):
    with db.transaction() as cur:
        cur.execute("INSERT INTO documents (title, kind) VALUES (%s, %s) RETURNING id", (title, kind))
        document_id = cur.fetchone()[0]
        cur.execute("INSERT INTO items (document_id, barcode) VALUES (%s, %s) RETURNING id",
                    (document_id, f"EX{document_id:05d}"))
        return document_id, cur.fetchone()[0]


def test_inscription_puis_lecture(db):
    member = add_member(db)
    assert MemberRepository(db).get(member.id).card_number == "M000001"
    with pytest.raises(ConflictError):
        add_member(db)
    with pytest.raises(NotFoundError):
        MemberRepository(db).get(999)


def test_recherche_du_catalogue(db):
    add_document(db, "Le Petit Prince")
    add_document(db, "Astérix le Gaulois", "bd")
    found = CatalogueRepository(db).search("prince")
    assert [d.title for d in found] == ["Le Petit Prince"]
    assert CatalogueRepository(db).search("%") == []  # le joker est un caractère comme un autre
    with pytest.raises(InvalidInputError):
        CatalogueRepository(db).search("x", kind="vinyle")


def test_pret_et_historique(db):
    member = add_member(db)
    _, item = add_document(db)
    loans = LoanService(LoanRepository(db), ReservationRepository(db))
    loan = loans.borrow(member.id, item, TODAY)
    assert loan.due_on.isoformat() == "2031-04-01"
    assert LoanRepository(db).history(member.id)[0][0] == "Le Petit Prince"
    with pytest.raises(ConflictError):
        loans.borrow(member.id, item, TODAY)


def test_reservations_dans_l_ordre(db):
    first, second = add_member(db), add_member(db, "M000002")
    document, _ = add_document(db)
    loans = LoanService(LoanRepository(db), ReservationRepository(db))
    loans.reserve(second.id, document, TODAY)
    loans.reserve(first.id, document, TODAY.replace(day=12))
    assert loans.next_in_queue(document) == second.id
    assert ReservationRepository(db).of_member(first.id)[0][0] == "Le Petit Prince"
