import ldap
from ldap.filter import filter_format
from flask import Flask, request

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    conn = ldap.initialize("ldap://ldap.example.fr")
    query = filter_format("(&(uid=%s)(memberOf=cn=staff,dc=example,dc=fr))", [request.form["user"]])
    found = conn.search_s("dc=example,dc=fr", ldap.SCOPE_SUBTREE, query)  # safe: CWE-90
    return {"staff": bool(found)}
