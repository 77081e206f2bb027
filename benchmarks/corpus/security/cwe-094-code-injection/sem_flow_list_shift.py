from flask import Flask, request

app = Flask(__name__)


@app.route("/calc")
def calc():
    exprs = ["1 + 1", request.args.get("e", "0")]
    exprs.pop(0)
    return {"value": eval(exprs[0])}  # expect: CWE-94
