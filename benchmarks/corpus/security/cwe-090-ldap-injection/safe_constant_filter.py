import ldap
from flask import Flask, request

app = Flask(__name__)


@app.route("/staff")
def staff():
    app.logger.info("staff list for %s", request.args.get("who"))
    conn = ldap.initialize("ldap://ldap.example.fr")
    result = conn.search_s("dc=example,dc=fr", ldap.SCOPE_SUBTREE, "(memberOf=cn=staff,dc=example,dc=fr)")  # safe: CWE-90
    return {"count": len(result)}
