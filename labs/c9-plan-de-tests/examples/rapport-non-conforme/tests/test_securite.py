"""Tests de sécurité : attaques et abus tentés sur la vraie base et le vrai Redis."""

from conftest import ADULTE, AUJOURDHUI, MOT_DE_PASSE


def test_force_brute_bloquee_apres_cinq_echecs(adherents):
    for _ in range(5):
        assert adherents.authenticate("M000001", "essai-au-hasard") is None
    assert adherents.authenticate("M000001", MOT_DE_PASSE) is None  # bloqué, même avec le bon mot de passe
    assert adherents.is_blocked("M000001")
    assert adherents.authenticate("M000004", MOT_DE_PASSE) == 4  # les autres comptes ne sont pas bloqués


def test_force_brute_bloquee_sur_le_site(navigateur):
    for _ in range(5):
        navigateur.post("/connexion", data={"carte": "M000001", "mot_de_passe": "essai-au-hasard"})
    reponse = navigateur.post("/connexion", data={"carte": "M000001", "mot_de_passe": MOT_DE_PASSE})
    assert reponse.status_code == 401 and "Trop de tentatives" in reponse.get_data(as_text=True)


def test_mot_de_passe_jamais_stocke_en_clair(adherents, sql):
    membre, _ = adherents.register({"nom": "Roux", "prenom": "Eden", "courriel": "eden@exemple.fr",
                                    "mot_de_passe": "un-secret-bien-long"}, AUJOURDHUI)
    [(empreinte,)] = sql("SELECT password_hash FROM members WHERE id = %s", (membre.id,))
    assert "un-secret-bien-long" not in empreinte and empreinte.startswith("scrypt:")


def test_mot_de_passe_trop_court_refuse(adherents, sql):
    membre, erreurs = adherents.register({"nom": "Roux", "prenom": "Eden", "courriel": "eden@exemple.fr",
                                          "mot_de_passe": "court"}, AUJOURDHUI)
    assert membre is None and "mot_de_passe" in erreurs
    assert sql("SELECT count(*) FROM members WHERE email = 'eden@exemple.fr'") == [(0,)]


def test_injection_sql_dans_la_recherche(catalogue):
    assert catalogue.search("' OR 1=1 --") == []
    assert [d.title for d in catalogue.search("%")] == ["Taux à 100% garanti"]  # % n'est pas un joker


def test_connexion_par_injection_refusee(adherents):
    assert adherents.authenticate("' OR '1'='1", "' OR '1'='1") is None
    assert adherents.authenticate("M000001", MOT_DE_PASSE) == ADULTE
