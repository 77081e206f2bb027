from flask import Flask, request

app = Flask(__name__)


from flask import session

TENANTS = {"north", "south"}


@app.route("/locale")
def locale():
    tenant = request.headers.get("X-Tenant", "north")
    if tenant not in TENANTS:
        tenant = "north"
    session["tenant"] = tenant  # safe: CWE-501
    return {"ok": True}
