from flask import Flask, request

app = Flask(__name__)


def formula(_user_choice):
    return "3 * 7"


@app.route("/calc")
def calc():
    return {"value": eval(formula(request.args.get("f")))}  # safe: CWE-94
