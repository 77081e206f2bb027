"""The step vocabulary the statement gives (README.md, « Vocabulaire des étapes »), bound to the app.

Each step text is matched whole (regular expression); `il` and `elle` are both accepted. A failed
`Alors` says what was expected and what the application did, in French.
"""

from __future__ import annotations

import re
from datetime import datetime

from pytest_bdd import given, parsers, then, when

IL = r"(?:il|elle)"


def step(kind, pattern):
    return kind(parsers.re(pattern))


def _day(text: str):
    return datetime.strptime(text, "%d/%m/%Y").date()


def _html(world) -> str:
    return world.response.get_data(as_text=True) if world.response is not None else ""


def _login(world, card: str, password: str):
    world.response = world.client.post("/connexion", data={"carte": card, "mot_de_passe": password})
    return world.response


def _register(world, **fields):
    world.counter += 1
    form = {"nom": "Essai", "prenom": "Camille", "courriel": f"camille.essai{world.counter}@example.org",
            "annee_naissance": "", "mot_de_passe": world.password, **fields}
    world.email = form["courriel"]
    world.response = world.client.post("/inscription", data=form)
    found = re.search(r"M\d{6}", _html(world))
    if world.response.status_code == 200 and found:
        world.card = found.group(0)
        world.member_id = world.sql("SELECT id FROM members WHERE card_number = %s", (world.card,))[0][0]
    return world.response


def _document(world, title: str) -> int:
    rows = world.sql("SELECT id FROM documents WHERE title = %s", (title,))
    assert rows, f"aucun document « {title} » dans le catalogue de démonstration"
    return rows[0][0]


# --- Étant donné -------------------------------------------------------------------------------

@step(given, r"nous sommes le (?P<jour>\d{2}/\d{2}/\d{4})")
def nous_sommes_le(monde, jour):
    monde.today = _day(jour)


@step(given, r"un visiteur(?: sur le site)?")
def un_visiteur(monde):
    monde.member_id = None


@step(given, r"l'adhérent \"(?P<carte>M\d{6})\" est connecté")
def adherent_connecte(monde, carte):
    rows = monde.sql("SELECT id FROM members WHERE card_number = %s", (carte,))
    assert rows, f"l'adhérent {carte} n'existe pas dans le jeu de démonstration"
    monde.member_id, monde.card = rows[0][0], carte
    with monde.client.session_transaction() as session:
        session["adherent"] = monde.member_id


@step(given, r"un nouvel adhérent(?: né en (?P<annee>\d{4}))?(?P<connecte> est connecté| est inscrit)")
def nouvel_adherent(monde, annee, connecte):
    response = _register(monde, annee_naissance=annee or "")
    assert response.status_code == 200, f"l'inscription a échoué (code {response.status_code})"
    if connecte.strip() == "est connecté":
        assert _login(monde, monde.card, monde.password).status_code == 302, "la connexion a échoué"


# --- Quand -------------------------------------------------------------------------------------

@step(when, rf"{IL} cherche \"(?P<texte>[^\"]*)\" dans le catalogue")
def cherche(monde, texte):
    monde.response = monde.client.get("/catalogue", query_string={"q": texte})


@step(when, rf"{IL} cherche \"(?P<texte>[^\"]*)\" parmi les documents de type \"(?P<genre>[^\"]*)\"")
def cherche_type(monde, texte, genre):
    monde.response = monde.client.get("/catalogue", query_string={"q": texte, "type": genre})


@step(when, rf"{IL} s'inscrit avec (?P<champ>l'année de naissance|le mot de passe|l'adresse) \"(?P<valeur>[^\"]*)\"")
def s_inscrit(monde, champ, valeur):
    name = {"l'année de naissance": "annee_naissance", "le mot de passe": "mot_de_passe", "l'adresse": "courriel"}[champ]
    _register(monde, **{name: valeur})


@step(when, rf"{IL} s'inscrit")
def s_inscrit_simplement(monde):
    _register(monde)


@step(when, rf"{IL} se connecte (?P<fois>\d+) fois avec un mauvais mot de passe")
def mauvais_mot_de_passe(monde, fois):
    for _ in range(int(fois)):
        _login(monde, monde.card, "ce n'est pas le bon mot de passe")


@step(when, rf"{IL} se connecte avec le bon mot de passe")
def bon_mot_de_passe(monde):
    _login(monde, monde.card, monde.password)


@step(when, rf"{IL} emprunte l'exemplaire \"(?P<code>[^\"]+)\"")
def emprunte(monde, code):
    rows = monde.sql("SELECT id FROM items WHERE barcode = %s", (code,))
    monde.response = monde.client.post("/compte/emprunter", data={"exemplaire": str(rows[0][0] if rows else 0)})


@step(when, rf"{IL} réserve le document \"(?P<titre>[^\"]+)\"")
def reserve(monde, titre):
    with monde.app.app_context():
        try:
            monde.service("loans").reserve(monde.member_id, _document(monde, titre), monde.today)
            monde.outcome = (True, "ok")
        except Exception as exc:  # the domain's refusal (a second reservation of the same document)
            monde.outcome = (False, str(exc))


@step(when, r"un document est rendu avec (?P<jours>\d+) jours? de retard")
def rendu_en_retard(monde, jours):
    from mediatheque import rules

    monde.fee = rules.late_fee(int(jours))


@step(when, rf"{IL} télécharge ses données")
def telecharge(monde):
    monde.response = monde.client.get("/compte/export")


@step(when, rf"{IL} demande l'effacement de son compte")
def efface(monde):
    monde.response = monde.client.post("/compte/supprimer", data={"confirmation": "oui"})


@step(when, rf"{IL} (?P<choix>accepte|refuse) les traceurs")
def traceurs(monde, choix):
    monde.response = monde.client.post("/consentement", data={"choix": choix + "r", "retour": "/"})
    monde.response = monde.client.get("/") if choix == "accepte" else monde.response


@step(when, rf"{IL} ouvre la page \"(?P<chemin>/[^\"]*)\"")
def ouvre(monde, chemin):
    monde.response = monde.client.get(chemin)


# --- Alors -------------------------------------------------------------------------------------

def _status(world, expected: int, what: str):
    got = world.response.status_code if world.response is not None else None
    assert got == expected, f"{what} : attendu le code {expected}, l'application répond {got}"


@step(then, r"le catalogue (?P<non>n')?affiche(?: pas)? \"(?P<titre>[^\"]+)\"")
def catalogue_affiche(monde, non, titre):
    present = titre in _html(monde)
    assert present != bool(non), f"« {titre} » {'figure' if present else 'ne figure pas'} dans les résultats"


@step(then, r"la recherche est refusée avec un message")
def recherche_refusee(monde):
    _status(monde, 400, "recherche")
    assert 'role="alert"' in _html(monde) or "aria-invalid" in _html(monde), "aucun message d'erreur annoncé"


@step(then, r"l'inscription est (?P<verdict>acceptée|refusée)")
def inscription(monde, verdict):
    _status(monde, 200 if verdict == "acceptée" else 400, "inscription")


@step(then, r"un numéro de carte lui est attribué")
def numero_de_carte(monde):
    assert re.search(r"M\d{6}", _html(monde)), "aucun numéro de carte (M et 6 chiffres) sur la page"


@step(then, r"le message d'erreur concerne le champ \"(?P<champ>[^\"]+)\"")
def erreur_du_champ(monde, champ):
    html = _html(monde)
    assert f'id="{champ}-erreur"' in html, f"aucun message relié au champ « {champ} »"


@step(then, r"seule l'année de naissance \"(?P<annee>\d{4})\" est enregistrée")
def seule_annee(monde, annee):
    columns = monde.member_columns()
    assert not columns & {"birth_date", "date_naissance"}, "une colonne de date de naissance complète existe"
    rows = monde.sql("SELECT birth_year FROM members WHERE email = %s", (monde.email,))
    assert rows == [(int(annee),)], f"année enregistrée : {rows[0][0] if rows else 'aucune'}"


@step(then, r"le mot de passe est enregistré haché")
def mot_de_passe_hache(monde):
    rows = monde.sql("SELECT password_hash FROM members WHERE email = %s", (monde.email,))
    assert rows and rows[0][0] and rows[0][0].startswith("scrypt:") and monde.password not in rows[0][0], \
        "le mot de passe n'est pas enregistré haché (scrypt)"


@step(then, r"le prêt est accepté")
def pret_accepte(monde):
    _status(monde, 200, "prêt")
    assert "Prêt enregistré" in _html(monde), "aucun prêt enregistré"


@step(then, r"le prêt est refusé(?: avec le motif \"(?P<motif>[^\"]+)\")?")
def pret_refuse(monde, motif):
    _status(monde, 409, "prêt")
    if motif:
        assert motif in _html(monde), f"le motif « {motif} » n'est pas donné"


@step(then, r"la date de retour est le (?P<jour>\d{2}/\d{2}/\d{4})")
def date_de_retour(monde, jour):
    found = re.search(r"à rendre le (\d{2}/\d{2}/\d{4})", _html(monde))
    assert found and found.group(1) == jour, f"date de retour : {found.group(1) if found else 'aucune'}"


@step(then, rf"{IL} accède à son compte")
def accede_au_compte(monde):
    _status(monde, 302, "connexion")
    assert monde.response.headers.get("Location", "").endswith("/compte"), "pas de redirection vers le compte"


@step(then, r"la connexion est (?P<verdict>refusée|bloquée)")
def connexion_refusee(monde, verdict):
    _status(monde, 401, "connexion")
    if verdict == "bloquée":
        assert "Trop de tentatives" in _html(monde), "la connexion n'est pas bloquée"


@step(then, r"la réservation est (?P<verdict>acceptée|refusée)")
def reservation(monde, verdict):
    assert monde.outcome is not None and monde.outcome[0] == (verdict == "acceptée"), \
        f"réservation : {monde.outcome[1] if monde.outcome else 'aucune demande'}"


@step(then, r"le prochain réservataire de \"(?P<titre>[^\"]+)\" est l'adhérent \"(?P<carte>M\d{6})\"")
def prochain_reservataire(monde, titre, carte):
    with monde.app.app_context():
        member = monde.service("loans").next_in_queue(_document(monde, titre))
    rows = monde.sql("SELECT card_number FROM members WHERE id = %s", (member,)) if member else []
    assert rows == [(carte,)], f"prochain réservataire : {rows[0][0] if rows else 'personne'}"


@step(then, r"la pénalité est de (?P<montant>\d+,\d{2}) €")
def penalite(monde, montant):
    assert monde.fee is not None and f"{monde.fee:.2f}".replace(".", ",") == montant, \
        f"pénalité calculée : {str(monde.fee).replace('.', ',')} €"


@step(then, r"le fichier téléchargé (?P<non>ne )?contient (?:pas )?(?P<quoi>son adresse électronique|son mot de passe|ses prêts)")
def fichier(monde, non, quoi):
    _status(monde, 200, "téléchargement")
    data = monde.response.get_json() or {}
    found = {"son adresse électronique": data.get("email") == monde.email,
             "son mot de passe": any("password" in k for k in data),
             "ses prêts": bool(data.get("prets"))}[quoi]
    assert found != bool(non), f"le fichier {'contient' if found else 'ne contient pas'} {quoi}"


@step(then, r"l'effacement est refusé")
def effacement_refuse(monde):
    _status(monde, 409, "effacement")


@step(then, r"son compte est effacé et l'historique de ses prêts est conservé sans son identité")
def compte_efface(monde):
    _status(monde, 200, "effacement")
    rows = monde.sql("SELECT last_name, erased_on IS NOT NULL FROM members WHERE id = %s", (monde.member_id,))
    assert rows == [("Anonyme", True)], "l'identité n'a pas été effacée"


@step(then, r"aucun traceur n'est déposé")
def aucun_traceur(monde):
    cookies = " ".join(monde.response.headers.getlist("Set-Cookie"))
    assert "_pk_id=" not in cookies.replace("_pk_id=;", "") and "piwik" not in _html(monde), "un traceur est déposé"


@step(then, r"le traceur de mesure d'audience est (?P<verdict>déposé|effacé)")
def traceur(monde, verdict):
    cookies = " ".join(monde.response.headers.getlist("Set-Cookie"))
    if verdict == "déposé":
        assert "_pk_id=" in cookies and "piwik" in _html(monde), "le traceur n'est pas déposé"
    else:
        assert "_pk_id=;" in cookies or "_pk_id=\"\"" in cookies, "le traceur n'est pas effacé"


@step(then, r"la page (?P<quoi>est en français|a un lien d'évitement vers le contenu|étiquette chacun de ses champs)")
def page_accessible(monde, quoi):
    html = _html(monde)
    _status(monde, 200, "page")
    if quoi == "est en français":
        assert '<html lang="fr"' in html, "la langue de la page n'est pas déclarée en français"
    elif quoi == "a un lien d'évitement vers le contenu":
        assert 'href="#contenu"' in html and 'id="contenu"' in html, "pas de lien d'évitement vers le contenu"
    else:
        missing = [f for f in re.findall(r'<input id="([^"]+)"', html) if f'<label for="{f}"' not in html]
        assert not missing, f"champs sans étiquette : {', '.join(missing)}"


@step(then, r"la page affiche \"(?P<texte>[^\"]+)\"")
def page_affiche(monde, texte):
    assert texte in _html(monde), f"« {texte} » n'est pas sur la page"


@step(then, r"la page ne peut pas être affichée dans un cadre")
def pas_de_cadre(monde):
    assert "frame-ancestors 'none'" in monde.response.headers.get("Content-Security-Policy", ""), \
        "la politique de sécurité du contenu n'interdit pas les cadres"


@step(then, r"le cookie de session est protégé")
def cookie_protege(monde):
    cookies = " ".join(monde.response.headers.getlist("Set-Cookie"))
    assert all(flag in cookies for flag in ("Secure", "HttpOnly", "SameSite=Lax")), \
        "le cookie de session n'est pas Secure, HttpOnly et SameSite"
