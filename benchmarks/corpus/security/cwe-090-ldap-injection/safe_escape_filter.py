import ldap
from ldap.filter import escape_filter_chars
from flask import Flask, request

app = Flask(__name__)


@app.route("/directory")
def directory():
    uid = escape_filter_chars(request.args["uid"])
    conn = ldap.initialize("ldap://ldap.example.fr")
    result = conn.search_s("ou=people,dc=example,dc=fr", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")  # safe: CWE-90
    return {"entries": len(result)}
