import html

from flask import Flask, request

app = Flask(__name__)


@app.route("/search")
def search():
    q = html.escape(request.args.get("q", ""))
    return f"<p>Résultats pour <b>{q}</b></p>"  # safe: CWE-79
