from flask import Flask, request

app = Flask(__name__)


from flask import session


@app.route("/locale")
def locale():
    session["tenant"] = request.headers.get("X-Tenant", "default")  # expect: CWE-501
    return {"ok": True}
