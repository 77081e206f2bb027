"""Accès aux données... et un peu de tout le reste.

Stockage en mémoire (dictionnaires) et, si DATABASE_URL est défini, PostgreSQL.
"""

import os
from dataclasses import dataclass
from datetime import date

# Durée d'un prêt selon le type de document (jours).
LOAN_DAYS = {"livre": 21, "bd": 14, "cd": 14, "dvd": 7, "revue": 7}


@dataclass
class Loan:
    id: int
    member_id: int
    item_id: int
    start: date
    due: date
    returned_on: date = None


def new_store():
    """Données fictives de démonstration."""
    return {
        "members": {
            n: {"card_number": f"M{n:06d}", "last_name": "Démo", "first_name": f"Adhérent {n}",
                "email": f"adherent{n}@example.org"}
            for n in (1, 2, 3)
        },
        "items": {
            1: {"title": "Les Misérables", "kind": "livre"},
            2: {"title": "Le Tour du monde en quatre-vingts jours", "kind": "livre"},
            3: {"title": "Notre-Dame de Paris", "kind": "livre"},
            4: {"title": "Madame Bovary", "kind": "livre"},
            5: {"title": "Germinal", "kind": "livre"},
            6: {"title": "Le Voyage dans la Lune", "kind": "dvd"},
            7: {"title": "Les Quatre Saisons", "kind": "cd"},
            8: {"title": "Vingt mille lieues sous les mers", "kind": "livre"},
        },
        "loans": [],
        "reservations": {8: [3]},  # item_id -> file d'attente (member_id, la plus ancienne d'abord)
    }


def pg():
    import psycopg

    return psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)


def pg_member_exists(member_id):
    with pg() as conn:
        row = conn.execute(f"SELECT id FROM members WHERE id = {member_id}").fetchone()
    return row is not None


def pg_active_loans(member_id):
    with pg() as conn:
        rows = conn.execute(
            "SELECT id, member_id, item_id, loaned_on, due_on FROM loans "
            "WHERE returned_on IS NULL AND member_id = " + str(member_id)
        ).fetchall()
    return [Loan(*row) for row in rows]


def pg_insert_loan(member_id, item_id, start, due):
    with pg() as conn:
        row = conn.execute(
            "INSERT INTO loans (member_id, item_id, loaned_on, due_on) "
            "VALUES (%d, %d, '%s', '%s') RETURNING id" % (member_id, item_id, start, due)
        ).fetchone()
    return Loan(row[0], member_id, item_id, start, due)
