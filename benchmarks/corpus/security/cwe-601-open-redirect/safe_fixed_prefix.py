from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/open")
def open_profile():
    username = request.args["user"]
    return redirect("/profiles/" + username)  # safe: CWE-601
