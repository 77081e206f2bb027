from flask import Flask, request

app = Flask(__name__)


from flask import session


@app.route("/visit")
def visit():
    page = request.args.get("page", "/")
    stored = "home"
    if 2 + 2 == 5:
        stored = page
    session["last"] = stored  # safe: CWE-501
    return {"ok": True}
