"""Tests de sécurité : IDOR, élévation de privilèges, CSRF, fixation de session."""


def test_idor_prets_d_un_autre(client, connecter):
    connecter(client, 1)
    assert client.get("/adherents/2/prets").status_code in (403, 404)


def test_idor_dans_le_service(app, connecter, client):
    from mediatheque.errors import NotFoundError
    from mediatheque.security import AccessDeniedError, Role, User
    from mediatheque.services.loans import LoanAccessService
    from mediatheque.database import Database
    import os

    service = LoanAccessService(Database(os.environ["DATABASE_URL"]))
    try:
        service.loans_of(User(1, Role.ADHERENT), 2)
    except (NotFoundError, AccessDeniedError):
        pass
    else:
        raise AssertionError("un adhérent lit les prêts d'un autre")


def test_adherent_ne_change_pas_son_role(client, connecter):
    jeton = connecter(client, 1).get_json()["csrf_token"]
    assert client.post("/adherents/1/role", data={"role": "administrateur", "csrf_token": jeton}).status_code == 403


def test_bibliothecaire_ne_change_pas_les_roles(client, connecter):
    jeton = connecter(client, 3).get_json()["csrf_token"]
    assert client.post("/adherents/3/role", data={"role": "administrateur", "csrf_token": jeton}).status_code == 403


def test_administrateur_change_les_roles(client, connecter):
    jeton = connecter(client, 4).get_json()["csrf_token"]
    assert client.post("/adherents/2/role", data={"role": "bibliothecaire", "csrf_token": jeton}).status_code == 204


def test_adherent_n_enregistre_pas_de_retour(client, connecter):
    jeton = connecter(client, 1).get_json()["csrf_token"]
    assert client.post("/prets/1/retour", data={"csrf_token": jeton}).status_code == 403


def test_csrf_sans_jeton_refuse(client, connecter):
    connecter(client, 4)
    assert client.post("/adherents/2/role", data={"role": "administrateur"}).status_code in (400, 403)


def test_csrf_mauvais_jeton_refuse(client, connecter):
    connecter(client, 4)
    assert client.post("/adherents/2/role", data={"role": "administrateur", "csrf_token": "faux"}).status_code in (400, 403)


def test_session_neuve_a_la_connexion(client, connecter):
    avant = client.get("/csrf").get_json()["csrf_token"]
    apres = connecter(client, 1).get_json()["csrf_token"]
    assert apres != avant
