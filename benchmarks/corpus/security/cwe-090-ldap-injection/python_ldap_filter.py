import ldap
from flask import Flask, request

app = Flask(__name__)


@app.route("/directory")
def directory():
    uid = request.args["uid"]
    conn = ldap.initialize("ldap://ldap.example.fr")
    result = conn.search_s("ou=people,dc=example,dc=fr", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")  # expect: CWE-90
    return {"entries": len(result)}
