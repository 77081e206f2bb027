"""Vérification après déploiement (fournie, ne la modifiez pas) : l'application répond-elle ?

    python3 verifier.py CHEMIN/VERS/app

Crée l'application (DATABASE_URL, REDIS_URL et SECRET_KEY lus dans l'environnement), puis demande
l'accueil et le catalogue (qui lit la base et Redis). Code de sortie : 0 si les deux pages
répondent 200, 1 sinon (la raison est écrite sur la sortie d'erreur), 2 sans argument.
"""

import sys


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage : python3 verifier.py CHEMIN/VERS/app", file=sys.stderr)
        return 2
    sys.path.insert(0, argv[0])
    try:
        from mediatheque import create_app

        client = create_app().test_client()
        for page in ("/", "/catalogue"):
            status = client.get(page).status_code
            if status != 200:
                print(f"{page} : statut {status}", file=sys.stderr)
                return 1
    except Exception as exc:  # noqa: BLE001 (any failure means: the application does not answer)
        print(f"l'application ne répond pas : {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print("application OK : / et /catalogue répondent 200")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
