"""Tests cachés : stockage des mots de passe (Argon2id)."""

import psycopg

from mediatheque.security import PasswordHasher


def test_empreinte_argon2id():
    empreinte = PasswordHasher().hash("un mot de passe solide")
    assert empreinte.startswith("$argon2id$") and "un mot de passe solide" not in empreinte


def test_empreinte_enregistree(base, client, connecter):
    jeton = connecter(client, 1).get_json()["csrf_token"]
    client.post("/adherents/1/mot-de-passe", data={"mot_de_passe": "nouveau-mot-de-passe", "csrf_token": jeton})
    with psycopg.connect(base) as conn:
        stored = conn.execute("SELECT password_hash FROM members WHERE id = 1").fetchone()[0]
    assert stored.startswith("$argon2id$")
