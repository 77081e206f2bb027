from flask import Flask, request

app = Flask(__name__)


@app.route("/search")
def search():
    q = request.args.get("q", "")
    html = f"<p>Résultats pour <b>{q}</b></p>"
    return html  # expect: CWE-79
