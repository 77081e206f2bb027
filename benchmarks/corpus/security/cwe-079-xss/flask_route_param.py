from flask import Flask

app = Flask(__name__)


@app.route("/user/<username>")
def user_page(username):
    return "<h2>Profil de %s</h2>" % username  # expect: CWE-79
