from flask import Flask, redirect, request, url_for

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    app.logger.info("login from %s", request.args.get("next"))
    return redirect(url_for("dashboard"))  # safe: CWE-601
