"""Tests unitaires des composants métier : hachage, rôles, connexion, consultation des prêts."""

from mediatheque.security import PasswordHasher, Role, User


def test_empreinte_argon2id_salee(hacheur):
    premiere, seconde = hacheur.hash("un mot de passe"), hacheur.hash("un mot de passe")
    assert premiere.startswith("$argon2id$") and premiere != seconde


def test_verification(hacheur):
    empreinte = hacheur.hash("un mot de passe")
    assert hacheur.verify(empreinte, "un mot de passe")
    assert not hacheur.verify(empreinte, "un autre")
    assert not hacheur.verify(None, "un mot de passe")
    assert not hacheur.verify("un mot de passe", "un mot de passe")  # une valeur en clair n'est pas une empreinte


def test_roles_du_personnel():
    assert User(1, Role.BIBLIOTHECAIRE).is_staff() and User(1, Role.ADMINISTRATEUR).is_staff()
    assert not User(1, Role.ADHERENT).is_staff()
    assert User(1, Role.ADHERENT).may_read_member(1) and not User(1, Role.ADHERENT).may_read_member(2)


def test_connexion(app, connecter, client):
    reponse = connecter(client, 1)
    assert reponse.status_code == 200 and reponse.get_json()["role"] == "adherent"
    assert connecter(app.test_client(), 1, "mauvais").status_code == 401


def test_limiteur_bloque_apres_cinq_echecs(client, connecter):
    for _ in range(5):
        assert connecter(client, 2, "mauvais").status_code == 401
    assert connecter(client, 2).status_code == 401  # bon mot de passe, mais compte bloqué


def test_ses_propres_prets(client, connecter):
    connecter(client, 1)
    prets = client.get("/adherents/1/prets").get_json()
    assert [p["id"] for p in prets] == [1, 2]


def test_personnel_lit_tous_les_prets(client, connecter):
    connecter(client, 3)
    assert [p["id"] for p in client.get("/adherents/2/prets").get_json()] == [3]


def test_retour_par_le_personnel(client, connecter):
    jeton = connecter(client, 3).get_json()["csrf_token"]
    assert client.post("/prets/3/retour", data={"csrf_token": jeton}).status_code == 204
    assert client.get("/adherents/2/prets").get_json()[0]["rendu_le"] == "2031-03-18"


def test_mot_de_passe_trop_court(client, connecter):
    jeton = connecter(client, 1).get_json()["csrf_token"]
    assert client.post("/adherents/1/mot-de-passe", data={"mot_de_passe": "court", "csrf_token": jeton}).status_code == 400


def test_hacheur_par_defaut_argon2id():
    assert PasswordHasher().hash("x" * 12).startswith("$argon2id$v=19$m=65536,t=3")


def test_mot_de_passe_d_un_autre(client, connecter):
    jeton = connecter(client, 1).get_json()["csrf_token"]
    donnees = {"mot_de_passe": "un-nouveau-secret", "csrf_token": jeton}
    assert client.post("/adherents/2/mot-de-passe", data=donnees).status_code == 403
    assert client.post("/adherents/1/mot-de-passe", data=donnees).status_code == 204


def test_retour_inconnu_ou_deja_enregistre(client, connecter):
    jeton = connecter(client, 3).get_json()["csrf_token"]
    assert client.post("/prets/99/retour", data={"csrf_token": jeton}).status_code == 404
    assert client.post("/prets/3/retour", data={"csrf_token": jeton}).status_code == 204
    assert client.post("/prets/3/retour", data={"csrf_token": jeton}).status_code == 409


def test_role_d_un_adherent_inconnu(client, connecter):
    jeton = connecter(client, 4).get_json()["csrf_token"]
    assert client.post("/adherents/99/role", data={"role": "bibliothecaire", "csrf_token": jeton}).status_code == 404
