"""Tests unitaires et tests de sécurité du service des prêts (aucune base : un stockage en mémoire)."""

from datetime import date

import pytest

from domain import AccessDeniedError, Actor, Loan, LoanRefusedError, Member, NotFoundError, Role, return_date
from loan_service import LoanService
from passwords import PasswordStore, WeakPasswordError

TUESDAY = date(2031, 3, 11)  # la date de référence du jeu de démonstration
LEA, HUGO = 1, 2


class MemoryStore:
    """Stockage en mémoire qui respecte le contrat LoanStore."""

    def __init__(self, members, loans=()):
        self.members = {m.member_id: m for m in members}
        self.loans = list(loans)

    def member(self, member_id):
        return self.members.get(member_id)

    def current_loans(self, member_id):
        return [loan for loan in self.loans if loan.member_id == member_id and loan.returned_on is None]

    def all_loans(self, member_id):
        return [loan for loan in self.loans if loan.member_id == member_id]

    def add(self, loan):
        self.loans.append(loan)


@pytest.fixture
def store():
    members = [Member(LEA, date(2031, 12, 31), birth_year=1990), Member(HUGO, date(2031, 12, 31), birth_year=2016)]
    loans = [Loan(HUGO, "EX000103", date(2031, 3, 4), date(2031, 3, 18))]
    return MemoryStore(members, loans)


@pytest.fixture
def service(store):
    return LoanService(store)


LIBRARIAN = Actor(99, Role.LIBRARIAN)


# --- Tests unitaires : cas nominal, limites, erreurs ---------------------------------------------

def test_a_book_is_lent_for_21_days(service):
    loan = service.lend(LIBRARIAN, LEA, "EX000101", "livre", TUESDAY)
    assert loan.due_on == date(2031, 4, 1)


def test_a_return_date_on_a_closing_day_moves_to_tuesday():
    sunday = date(2031, 3, 16)
    assert return_date(sunday, "dvd") == date(2031, 3, 25)  # dimanche 23 -> mardi 25


def test_a_minor_reaches_the_quota_at_three_loans(service, store):
    store.add(Loan(HUGO, "EX000104", TUESDAY, date(2031, 3, 18)))
    service.lend(LIBRARIAN, HUGO, "EX000105", "cd", TUESDAY)  # 3e prêt : accepté
    with pytest.raises(LoanRefusedError) as refused:
        service.lend(LIBRARIAN, HUGO, "EX000106", "revue", TUESDAY)
    assert refused.value.reason == "quota atteint"


def test_an_expired_subscription_is_reported_before_a_late_loan(store, service):
    store.members[LEA] = Member(LEA, date(2031, 3, 1), birth_year=1990)
    store.add(Loan(LEA, "EX000107", date(2031, 2, 1), date(2031, 2, 22)))  # en retard aussi
    with pytest.raises(LoanRefusedError) as refused:
        service.lend(LIBRARIAN, LEA, "EX000108", "livre", TUESDAY)
    assert refused.value.reason == "abonnement expiré"


def test_nothing_is_lent_on_a_monday(service):
    with pytest.raises(LoanRefusedError):
        service.lend(LIBRARIAN, LEA, "EX000101", "livre", date(2031, 3, 17))


# --- Tests de sécurité : on tente l'attaque et on vérifie le refus -----------------------------

def test_a_member_reads_their_own_loans(service):
    assert [loan.barcode for loan in service.loans_of(Actor(HUGO, Role.MEMBER), HUGO)] == ["EX000103"]


def test_a_member_cannot_read_another_members_loans(service):
    with pytest.raises(NotFoundError):  # IDOR : même réponse que pour un adhérent inexistant
        service.loans_of(Actor(LEA, Role.MEMBER), HUGO)


def test_a_member_cannot_lend_to_themself(service, store):
    with pytest.raises(AccessDeniedError):
        service.lend(Actor(LEA, Role.MEMBER), LEA, "EX000101", "livre", TUESDAY)
    assert store.current_loans(LEA) == []  # et rien n'a été écrit


@pytest.fixture(scope="module")
def passwords():
    return PasswordStore(time_cost=1, memory_cost=8 * 1024, parallelism=1)  # rapide pour les tests


def test_a_password_is_stored_salted_with_argon2id(passwords):
    first, second = passwords.digest("correct cheval pile"), passwords.digest("correct cheval pile")
    assert first.startswith("$argon2id$") and "correct cheval pile" not in first
    assert first != second  # un sel différent à chaque fois
    assert passwords.matches(first, "correct cheval pile") and not passwords.matches(first, "Correct cheval pile")


def test_a_weak_or_foreign_digest_never_matches(passwords):
    sha256_of_password = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"  # SHA-256 de "password"
    assert not passwords.matches(sha256_of_password, "password")
    assert not passwords.matches(None, "password")
    with pytest.raises(WeakPasswordError):
        passwords.digest("court")


def test_old_parameters_are_upgraded(passwords):
    assert PasswordStore().needs_upgrade(passwords.digest("correct cheval pile"))
