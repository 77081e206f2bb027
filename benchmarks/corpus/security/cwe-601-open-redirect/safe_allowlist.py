from flask import Flask, abort, redirect, request

app = Flask(__name__)
TARGETS = {"/", "/account", "/orders"}


@app.route("/login", methods=["POST"])
def login():
    target = request.args.get("next", "/")
    if target not in TARGETS:
        abort(400)
    return redirect(target)  # safe: CWE-601
