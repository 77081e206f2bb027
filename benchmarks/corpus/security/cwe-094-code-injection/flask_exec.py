from flask import Flask, request

app = Flask(__name__)


@app.route("/run", methods=["POST"])
def run_snippet():
    scope = {}
    exec(request.form["code"], scope)  # expect: CWE-94
    return {"vars": sorted(scope)}
