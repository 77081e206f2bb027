"""Fonctionnement des dépôts sur une vraie base PostgreSQL."""

from datetime import timedelta

import pytest



def test_adherent_ajoute_puis_relu(members):
    added = members.add("M123456", "Nouveau", "Nina", "nina.nouveau@example.org")
    assert isinstance(added.id, int) and added.id > 0
    assert (added.card_number, added.last_name, added.first_name) == ("M123456", "Nouveau", "Nina")
    assert members.get(added.id) == added


def test_adherent_doublons_refuses(members, errors):
    with pytest.raises(errors.ConflictError):
        members.add("M123456", "Autre", "Personne", "alice.lefictif@example.org")
    with pytest.raises(errors.ConflictError):
        members.add("M000001", "Autre", "Personne", "autre@example.org")


def test_adherent_inconnu(members, errors):
    with pytest.raises(errors.NotFoundError):
        members.get(9999)


def test_adherent_par_courriel(members):
    assert members.find_by_email("bruno.d@example.org").id == 2
    assert members.find_by_email("personne@example.org") is None


def test_adherent_recherche_par_nom(members):
    found = members.search("dup")
    assert [m.id for m in found] == [4, 2]
    assert [m.id for m in members.search("DUP")] == [4, 2]
    assert [m.id for m in members.search("alice")] == [1]


def test_catalogue_recherche(catalogue):
    assert [d.id for d in catalogue.search("prince")] == [1, 5]
    assert [d.id for d in catalogue.search("e", kind="dvd")] == [3]
    assert catalogue.search("introuvable") == []
    document = catalogue.search("misérables")[0]
    assert (document.title, document.kind, document.year) == ("Les Misérables", "livre", 1862)


def test_catalogue_exemplaires_disponibles(catalogue, errors):
    assert catalogue.available_items(1) == [101]
    assert catalogue.available_items(2) == []
    with pytest.raises(errors.NotFoundError):
        catalogue.available_items(99)


def test_pret_enregistre(loans, sql, today, active_loan):
    made = loans.lend(1, [106], today)
    assert len(made) == 1
    loan = made[0]
    assert (loan.item_id, loan.member_id, loan.loaned_on, loan.due_on, loan.returned_on) == (
        106, 1, today, today + timedelta(days=21), None)
    assert active_loan(106) == (1,)
    assert [l.item_id for l in loans.current_loans(1)] == [102, 106]


def test_pret_plusieurs_exemplaires(loans, sql, today, active_loan):
    made = loans.lend(2, [106, 109, 110], today)
    assert sorted(l.item_id for l in made) == [106, 109, 110]
    assert all(active_loan(i) == (2,) for i in (106, 109, 110))


def test_pret_exemplaire_deja_prete(loans, errors, today):
    with pytest.raises(errors.ConflictError):
        loans.lend(2, [102], today)


def test_pret_adherent_ou_exemplaire_inconnu(loans, errors, today):
    with pytest.raises(errors.NotFoundError):
        loans.lend(999, [106], today)
    with pytest.raises(errors.NotFoundError):
        loans.lend(1, [9999], today)


def test_retour(loans, catalogue, errors, today):
    returned = loans.return_item(102, today)
    assert (returned.item_id, returned.member_id, returned.returned_on) == (102, 1, today)
    assert catalogue.available_items(1) == [101, 102]
    with pytest.raises(errors.NotFoundError):
        loans.return_item(106, today)


def test_prets_en_cours_tries_par_echeance(loans):
    assert [l.id for l in loans.current_loans(3)] == [4, 5, 6, 7]
    assert loans.current_loans(4) == []
