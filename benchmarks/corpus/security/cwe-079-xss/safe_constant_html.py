from flask import Flask, request

app = Flask(__name__)


@app.route("/maintenance")
def maintenance():
    app.logger.info("maintenance page for %s", request.args.get("from"))
    return "<h1>Maintenance en cours</h1>"  # safe: CWE-79
