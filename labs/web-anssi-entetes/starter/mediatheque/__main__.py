"""`python -m mediatheque` : serveur sur http://127.0.0.1:5000"""

from mediatheque import create_app

create_app().run(host="127.0.0.1", port=5000, debug=True, use_reloader=False)
