import ldap
from flask import Flask, request

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    conn = ldap.initialize("ldap://ldap.example.fr")
    query = "(&(uid=%s)(memberOf=cn=staff,dc=example,dc=fr))" % user
    found = conn.search_s("dc=example,dc=fr", ldap.SCOPE_SUBTREE, query)  # expect: CWE-90
    return {"staff": bool(found)}
