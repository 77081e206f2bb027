"""Tests cachés, lancés dans le conteneur de l'application : l'environnement que la pile lui donne.

Le correcteur les lance comme les tests de fumée (python -c, dans /tmp) ; seul leur résultat
d'ensemble compte, sans détail pour l'apprenant.
"""

import os
import pathlib
import tempfile

import psycopg


def test_l_application_ne_tourne_pas_en_root():
    assert os.geteuid() != 0, "le processus de l'application tourne en root"


def test_le_systeme_de_fichiers_de_l_application_est_en_lecture_seule():
    cible = pathlib.Path.cwd() / "ecriture-interdite-par-le-correcteur.txt"
    try:
        cible.write_text("x", encoding="utf-8")
    except OSError:
        return
    cible.unlink()
    raise AssertionError("la racine du conteneur de l'application est modifiable")


def test_tmp_reste_utilisable_par_l_application():
    with tempfile.NamedTemporaryFile(dir="/tmp") as fichier_temporaire:
        fichier_temporaire.write(b"ok")


def test_aucun_fichier_env_n_est_copie_dans_l_image():
    for dossier in {pathlib.Path.cwd(), pathlib.Path("/app"), pathlib.Path("/")}:
        assert not (dossier / ".env").exists(), f"{dossier / '.env'} est dans l'image"


def test_la_base_contient_tout_le_schema_et_le_jeu_de_demo():
    with psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=5) as connexion:
        tables = {ligne[0] for ligne in connexion.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        assert {"members", "documents", "items", "loans", "reservations"} <= tables
        (adherents,) = connexion.execute("SELECT count(*) FROM members").fetchone()
    assert adherents == 4, "le jeu de démonstration n'a pas été chargé entièrement"


def test_la_cle_secrete_vient_de_l_environnement_du_conteneur():
    assert len(os.environ.get("SECRET_KEY", "")) >= 8, "SECRET_KEY absente ou trop courte"
