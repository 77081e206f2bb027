from flask import Flask, Response, request

app = Flask(__name__)


@app.route("/error")
def error():
    reason = request.args.get("reason", "")
    return Response("<p>Erreur : " + reason + "</p>", status=400, mimetype="text/html")  # expect: CWE-79
