"""`python -m mediatheque` : serveur de développement sur http://127.0.0.1:5000"""

from mediatheque import create_app

create_app().run(host="127.0.0.1", port=5000)
