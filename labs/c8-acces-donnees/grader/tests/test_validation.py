"""Validation des entrées : refusées avec InvalidInputError, avant d'atteindre la base."""

from datetime import datetime

import pytest


BAD_IDS = [0, -1, True, "3", 3.5, None, 2**40]


def test_validation_ajout_adherent(members, sql, errors, snapshot):
    before = snapshot()
    bad = [
        ("123", "Nom", "Prénom", "a@example.org"),
        ("M12345", "Nom", "Prénom", "a@example.org"),
        ("M123456", "", "Prénom", "a@example.org"),
        ("M123456", "   ", "Prénom", "a@example.org"),
        ("M123456", "N" * 101, "Prénom", "a@example.org"),
        ("M123456", "Nom", "Prénom", "pas-un-courriel"),
        ("M123456", "Nom", None, "a@example.org"),
        ("M123456", 42, "Prénom", "a@example.org"),
    ]
    for args in bad:
        with pytest.raises(errors.InvalidInputError):
            members.add(*args)
    assert snapshot() == before


def test_validation_identifiants(members, catalogue, loans, errors):
    for value in BAD_IDS:
        with pytest.raises(errors.InvalidInputError):
            members.get(value)
        with pytest.raises(errors.InvalidInputError):
            catalogue.available_items(value)
        with pytest.raises(errors.InvalidInputError):
            loans.current_loans(value)


def test_validation_pret(loans, sql, errors, today, snapshot):
    before = snapshot()
    for member_id, items, day in [(1, [], today), (1, [106, 106], today), (1, [106], "2031-03-10"),
                                  (1, [106], datetime(2031, 3, 10, 12, 0)), (1, 106, today), (1, ["106"], today)]:
        with pytest.raises(errors.InvalidInputError):
            loans.lend(member_id, items, day)
    assert snapshot() == before


def test_validation_type_de_document(catalogue, errors):
    with pytest.raises(errors.InvalidInputError):
        catalogue.search("prince", kind="vinyle")
    with pytest.raises(errors.InvalidInputError):
        catalogue.search("", kind=None)


def test_validation_erreurs_du_domaine(errors):
    for name in ("DataUnavailableError", "InvalidInputError", "NotFoundError", "ConflictError"):
        assert issubclass(getattr(errors, name), errors.MediathequeError)
