from flask import Flask, request
from ldap3 import Connection, Server

app = Flask(__name__)


@app.route("/mail")
def mail():
    email = request.args.get("email", "")
    conn = Connection(Server("ldap://ldap.example.fr"), auto_bind=True)
    conn.search("dc=example,dc=fr", f"(&(objectClass=person)(mail={email}))", attributes=["cn"])  # expect: CWE-90
    return {"found": len(conn.entries)}
